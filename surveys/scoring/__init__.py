"""The scoring engine's parts (issue 12): the periods scores are kept for; formulas are
in surveys.formulas."""
