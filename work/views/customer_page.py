"""What a customer's page shows of daily work: its wins and its handoffs (registered
with customers.pages when this app loads)."""

from work import selectors

SHOWN = 10


def wins_section(*, membership, account) -> dict:
    wins = list(selectors.win_feed(membership=membership, account=account)[:SHOWN])
    return {"template": "work/partials/account_wins.html", "wins": wins}


def handoffs_section(*, membership, account) -> dict:
    handoffs = selectors.account_handoffs(membership=membership, account=account, limit=SHOWN)
    return {"template": "work/partials/account_handoffs.html", "handoffs": handoffs}
