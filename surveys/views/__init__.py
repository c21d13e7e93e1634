"""Pages of surveys, customer feedback and scores, one module per area."""
