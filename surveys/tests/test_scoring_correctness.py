"""The scoring engine end to end against a table worked out by hand (issue 12, point 6).

One dataset is built through the real services (survey rounds and answers, customer
feedback, an account transfer, handoffs, wins and follow-ups, each at an explicit
moment), the whole organisation is recomputed with ``runs.recompute_all`` (the nightly
repair), and every stored snapshot — value, sample size, suppressed — of every scope
type (organisation, team, function, account) and granularity (ISO week, month,
quarter) is compared with ``EXPECTED_BY_PERIOD`` below, and the set of stored keys with
the set of expected ones. The same dataset built again with the outbox's
``runs.recompute_dirty`` after each batch of data must store the same table. Nothing
here calls ``surveys.formulas`` or the engine's helpers: each expected figure is plain
arithmetic on the counts written next to it.

Metrics covered (all of them but the drivers the pulse does not ask — values,
role_clarity, enablement, customer_focus, growth — whose figures are the same code
with another driver): engagement,
favourable.collaboration, favourable.recognition, enps, response_rate,
correlation.collaboration and correlation.recognition (months and quarters only; the
engine rounds r to 4 places), nps, csat, collaboration (with renormalised weights when
components are missing), handoff_sla, follow_up.first_response.median/.p90,
follow_up.resolution.median/.p90.

Acme counts time in New York (UTC-4 until 1 November 2026, UTC-5 after) and hides
survey groups of fewer than 3 respondents. Weights: survey 0.4, responsiveness 0.3,
follow-through 0.15, breadth 0.15. Handoff SLA 24 h.

People (one team each; a job role gives the function):

    Alpha  a1..a8  Engineer       (function Engineering)
    Beta   b1..b4  Service agent  (function Service)
    Gamma  g1..g3  Account exec   (function Sales)
    Delta  d1..d6  Service agent  (function Service)
    Alice (admin), Bob (manager), Charlie (member): on no team

One pulse for everyone opens on Thursday 24 September 09:00, in week 39 — no answer
comes before week 40 — (24 invited), closes on Monday 12 October 09:00 (scores count a
round's answers once it has closed), and asks
engagement.proud, engagement.motivated, collaboration.help, recognition.noticed and
eNPS. Answers (proud, motivated, help, noticed, eNPS) and their local moment:

    b1 5 4 4 2 10 | b2 4 3 5 3 9 | b3 2 1 3 5 6          Wed 30 Sep 23:30 (UTC: 1 Oct)
    a1 5 5 4 4 9  | a2 4 4 2 4 8 | a3 1 1 5 1 10 | a4 5 2 4 2 7      Thu 1 Oct 00:30
    a5 4 4 4 5 9  | a6 4 5 1 5 9 | a7 2 2 2 4 3  | a8 5 4 5 4 0      Tue 6 Oct
    g1 1 2 4 3 5  | g2 5 5 5 2 10                                     Tue 6 Oct
    d1 4 4 4 4 10 | d2 4 4 4 4 10 | d3 3 3 3 3 5 | d4 5 1 4 2 8 |
    d5 4 2 5 1 9  | d6 5 5 5 5 7                                      Wed 7 Oct
    (b4, g3 and the three on no team do not answer)

So Beta is exactly at the threshold in September and Q3 (shown). Week 40 lies in two
quarters and has answers on both sides (Beta's in Q3, Alpha's in Q4): its survey figures
are hidden, whatever their size. In week 41 Gamma (2) is below the threshold and the
complement rule hides the next smallest, Alpha (4); in October Gamma is hidden and so is
Delta (6 < Alpha's 8) — and with it Delta's week 41, which holds all of Delta's October
(shown, it would be the hidden month).

Accounts: Acorn (Alpha), Birch (Beta, transferred to Delta on Wed 14 Oct 12:00),
Cedar (Gamma). Feedback (kind score, local moment, the owning team then):

    F1 Acorn NPS 9   Wed 30 Sep 23:30  Alpha    F7  Birch NPS 3   Thu 15 Oct 10:00  Delta
    F2 Acorn NPS 6   Thu  1 Oct 00:30  Alpha    F8  Birch NPS 10  Fri 16 Oct 10:00  Delta
    F3 Acorn CSAT 4  Sat  3 Oct 10:00  Alpha    F9  Birch CSAT 5  Fri 16 Oct 11:00  Delta
    F4 Birch NPS 8   Mon  5 Oct 10:00  Beta     F10 Cedar NPS 8   Wed  4 Nov 10:00  Gamma
    F5 Birch NPS 9   Tue 13 Oct 10:00  Beta     F11 Cedar CSAT 3  Wed  4 Nov 11:00  Gamma
    F6 Birch CSAT 2  Tue 13 Oct 11:00  Beta

Handoffs (sending team → receiving team, sent at, accepted after, outcome):

    H1 Alpha → Beta   Sun  4 Oct 23:30 (UTC: 5 Oct)  2 h           completed
    H2 Alpha → Beta   Mon  5 Oct 00:30  exactly 24 h (within)      returned
    H3 Gamma → Beta   Tue  6 Oct 10:00  24 h 1 min (late)          completed
    H4 Beta → Alpha   Wed  7 Oct 10:00  never                      declined
    H5 Alpha → Alpha  Thu  8 Oct 10:00  30 h (late)                in progress
    H6 Delta → Alpha  Tue  3 Nov 10:00  3 h                        completed

Wins: W1 Alpha Fri 2 Oct with b1 (crosses); W2 Alpha Tue 6 Oct with a3 (does not);
W3 Delta Tue 13 Oct alone; W4 Gamma Wed 4 Nov with d3 (crosses).

Follow-ups (account, team, created, first response / resolution in hours); the loop
opens one for each detractor (F2, F6, F7) at the moment the feedback arrives:

    FU1 Acorn Alpha Fri  2 Oct 09:00  2 / 10     FUd1 Acorn Alpha Thu  1 Oct 00:30  — / —
    FU2 Acorn Alpha Tue  6 Oct 09:00  4 / 20     FUd2 Birch Beta  Tue 13 Oct 11:00  — / —
    FU3 Acorn Alpha Wed  7 Oct 09:00  1 / —      FUd3 Birch Delta Thu 15 Oct 10:00  5 / —
    FU4 Birch Beta  Thu  8 Oct 09:00  6 / 6      FU6  Cedar Gamma Mon  2 Nov 09:00  5 / 8
    FU5 Birch Delta Fri 16 Oct 09:00  3 / 30
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from customers import services as customers
from customers.tests.factories import CustomerAccountFactory
from surveys import services
from surveys.models import NpsFeedback, SurveyInvitation
from surveys.models.scores import ScoreSnapshot
from surveys.scoring import runs
from surveys.selectors import round_questions
from teams.tests.factories import JobRoleFactory, TeamFactory, TeamMembershipFactory, ValueFactory
from work.services import handoffs, wins

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
H = dt.timedelta(hours=1)
QUESTIONS = ("engagement.proud", "engagement.motivated", "collaboration.help", "recognition.noticed", "enps")

# Metrics, spelled as stored.
ENG, COL, REC, ENPS, RATE = "engagement", "favourable.collaboration", "favourable.recognition", "enps", "response_rate"
NPS, CSAT, COLLAB, SLA = "nps", "csat", "collaboration", "handoff_sla"
CRC, CRR = "correlation.collaboration", "correlation.recognition"
FRM, FRP = "follow_up.first_response.median", "follow_up.first_response.p90"
RSM, RSP = "follow_up.resolution.median", "follow_up.resolution.p90"

# Periods, by first local day.
W39, W40, W41, W42, W45 = (("week", dt.date(2026, m, d)) for m, d in ((9, 21), (9, 28), (10, 5), (10, 12), (11, 2)))
SEP, OCT, NOV = (("month", dt.date(2026, m, 1)) for m in (9, 10, 11))
Q3, Q4 = ("quarter", dt.date(2026, 7, 1)), ("quarter", dt.date(2026, 10, 1))

HIDDEN = "suppressed"  # stored with no value and no sample size


def local(month, day, hour, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=NEW_YORK)


def survey(n, *, eng, col, rec, enps):
    """The four answer figures of a group of ``n`` respondents who answered everything."""
    return {ENG: (eng, n), COL: (col, n), REC: (rec, n), ENPS: (enps, n)}


SURVEY_HIDDEN = {ENG: HIDDEN, COL: HIDDEN, REC: HIDDEN, ENPS: HIDDEN}
# Months and quarters also keep Pearson's r between each response's mean engagement answer
# (x) and its answer on the collaboration (y) and recognition (z) statements.
MONTHLY_HIDDEN = {**SURVEY_HIDDEN, CRC: HIDDEN, CRR: HIDDEN}


def pearson(n, sx, sy, sxy, sxx, syy):
    """r from the sums, as in any statistics textbook: (n Sxy - Sx Sy) / sqrt((n Sxx - Sx²)(n Syy - Sy²))."""
    return (n * sxy - sx * sy) / ((n * sxx - sx * sx) * (n * syy - sy * sy)) ** 0.5


def turnaround(response, resolution):
    """(median, p90, how many) of the first response and of the resolution, in hours."""
    (rm, rp, rn), (sm, sp, sn) = response, resolution
    return {FRM: (rm, rn), FRP: (rp, rn), RSM: (sm, sn), RSP: (sp, sn)}


# --- The groups of answers -----------------------------------------------------------------------
# Beta b1-b3: engagement 5 4 | 4 3 | 2 1 -> 3 of 6; help 4 5 3 -> 2 of 3; noticed 2 3 5 -> 1 of 3;
# eNPS 10 9 6 -> 2 promoters, 1 detractor of 3.
BETA = survey(3, eng=100 * 3 / 6, col=100 * 2 / 3, rec=100 * 1 / 3, enps=100 * (2 - 1) / 3)
# (x, y, z) = (4.5, 4, 2), (3.5, 5, 3), (1.5, 3, 5): Sx 9.5, Sxx 34.75; Sy 12, Syy 50, Sxy 40 ->
# 6 / sqrt(14 * 6); Sz 10, Szz 38, Sxz 27 -> -14 / sqrt(14 * 14) = -1 (z falls by 1 as x rises by 1).
BETA_MONTHLY = {**BETA, CRC: (pearson(3, 9.5, 12, 40, 34.75, 50), 3), CRR: (pearson(3, 9.5, 10, 27, 34.75, 38), 3)}
# Alpha a1-a4: engagement 5 5 | 4 4 | 1 1 | 5 2 -> 5 of 8; help 4 2 5 4 -> 3 of 4; noticed 4 4 1 2
# -> 2 of 4; eNPS 9 8 10 7 -> 2 promoters, 0 detractors of 4.
ALPHA_EARLY = survey(4, eng=100 * 5 / 8, col=100 * 3 / 4, rec=100 * 2 / 4, enps=100 * (2 - 0) / 4)
# Delta d1-d6: engagement 4 4 | 4 4 | 3 3 | 5 1 | 4 2 | 5 5 -> 8 of 12; help 4 4 3 4 5 5 -> 5 of 6;
# noticed 4 4 3 2 1 5 -> 3 of 6; eNPS 10 10 5 8 9 7 -> 3 promoters, 1 detractor of 6.
DELTA = survey(6, eng=100 * 8 / 12, col=100 * 5 / 6, rec=100 * 3 / 6, enps=100 * (3 - 1) / 6)
# Alpha a1-a8 (a5-a8: engagement 4 4 | 4 5 | 2 2 | 5 4 -> 6 of 8; help 4 1 2 5 -> 2 of 4; noticed
# 5 5 4 4 -> 4 of 4; eNPS 9 9 3 0 -> 2 promoters, 2 detractors): 11 of 16, 5 of 8, 6 of 8, (4 - 2) of 8.
ALPHA = survey(8, eng=100 * 11 / 16, col=100 * 5 / 8, rec=100 * 6 / 8, enps=100 * (4 - 2) / 8)
# (x, y, z): a1 (5, 4, 4), a2 (4, 2, 4), a3 (1, 5, 1), a4 (3.5, 4, 2), a5 (4, 4, 5), a6 (4.5, 1, 5),
# a7 (2, 2, 4), a8 (4.5, 5, 4): Sx 28.5, Sxx 114.75; Sy 27, Syy 107, Sxy 94 -> -17.5 / sqrt(105.75 * 127);
# Sz 29, Szz 119, Sxz 112.5 -> 73.5 / sqrt(105.75 * 111).
ALPHA_MONTHLY = {
    **ALPHA,
    CRC: (pearson(8, 28.5, 27, 94, 114.75, 107), 8),
    CRR: (pearson(8, 28.5, 29, 112.5, 114.75, 119), 8),
}
# The organisation in week 41: Alpha a5-a8 (6/8, 2/4, 4/4, P2 D2), Gamma (1 2 | 5 5 -> 2/4; help 4 5
# -> 2/2; noticed 3 2 -> 0/2; eNPS 5 10 -> P1 D1) and Delta (8/12, 5/6, 3/6, P3 D1).
ORG_W41 = survey(12, eng=100 * 16 / 24, col=100 * 9 / 12, rec=100 * 7 / 12, enps=100 * (6 - 4) / 12)
# October (and Q4): Alpha a1-a8, Gamma, Delta: (11+2+8)/(16+4+12), (5+2+5)/(8+2+6), (6+0+3)/16,
# promoters 4+1+3, detractors 2+1+1 of 16.
ORG_OCT = survey(16, eng=100 * 21 / 32, col=100 * 12 / 16, rec=100 * 9 / 16, enps=100 * (8 - 4) / 16)
# With Gamma g1 (1.5, 4, 3), g2 (5, 5, 2) and Delta d1 (4, 4, 4), d2 (4, 4, 4), d3 (3, 3, 3),
# d4 (3, 4, 2), d5 (3, 5, 1), d6 (5, 5, 5): n 16, Sx 57, Sxx 226; Sy 61, Syy 255, Sxy 218 ->
# 11 / sqrt(367 * 359); Sz 53, Szz 203, Sxz 202 -> 211 / sqrt(367 * 439).
ORG_OCT_MONTHLY = {
    **ORG_OCT,
    CRC: (pearson(16, 57, 61, 218, 226, 255), 16),
    CRR: (pearson(16, 57, 53, 202, 226, 203), 16),
}
# Week 40: Beta and Alpha a1-a4: (3+5)/(6+8), (2+3)/7, (1+2)/7, promoters 2+2, detractors 1 of 7.
ORG_W40 = survey(7, eng=100 * 8 / 14, col=100 * 5 / 7, rec=100 * 3 / 7, enps=100 * (4 - 1) / 7)

# Response rate of the round opened 24 September (week 39, September, Q3), answered of invited:
# Alpha 8/8, Beta 3/4, Gamma 2/3, Delta 6/6, no team 0/3 -> 19 of 24. Gamma (2) is hidden, and the
# complement rule hides the smallest shown, Beta (3). Functions: Engineering 8/8, Service 9/10,
# Sales 2/3: Sales hidden, then the smallest shown, Engineering (8 < 9).
RATES = {
    "org": {RATE: (100 * 19 / 24, 19)},
    "Alpha": {RATE: (100 * 8 / 8, 8)},
    "Beta": {RATE: HIDDEN},
    "Gamma": {RATE: HIDDEN},
    "Delta": {RATE: (100 * 6 / 6, 6)},
    "Engineering": {RATE: HIDDEN},
    "Service": {RATE: (100 * 9 / 10, 9)},
    "Sales": {RATE: HIDDEN},
}

# Collaboration (below): sum(weight * component) / sum(weights present), weights survey 0.4,
# responsiveness 0.3, follow-through 0.15, breadth 0.15; its sample is the components' samples.

# September and Q3 hold Beta's answers of 30 September 23:30 (in UTC, 1 October) and F1 only.
SEPTEMBER = {
    "org": {**BETA_MONTHLY, **RATES["org"], NPS: (100.0, 1), COLLAB: (100 * 2 / 3, 3)},  # F1: 9; survey only
    "Alpha": {**RATES["Alpha"], NPS: (100.0, 1)},
    "Beta": {**BETA_MONTHLY, **RATES["Beta"], COLLAB: (100 * 2 / 3, 3)},
    "Gamma": RATES["Gamma"],
    "Delta": RATES["Delta"],
    "Engineering": RATES["Engineering"],
    "Service": {**BETA_MONTHLY, **RATES["Service"]},  # Service's respondents are Beta's three
    "Sales": RATES["Sales"],
    "Acorn": {NPS: (100.0, 1)},
}

EXPECTED_BY_PERIOD = {
    SEP: SEPTEMBER,
    Q3: SEPTEMBER,
    # Week 39, Mon 21 - Sun 27 Sep: the round opened, nothing else happened.
    W39: RATES,
    # Week 40, Mon 28 Sep - Sun 4 Oct: Beta's three answers (Q3) and Alpha a1-a4's (Q4): answers on
    # both sides of a change of quarter, so every survey figure of the week is hidden (they would
    # be, ORG_W40 for the organisation, ALPHA_EARLY for Alpha and Engineering, BETA for Beta and
    # Service). F1 9 and F2 6 -> 1 promoter, 1 detractor; F3 CSAT 4; H1 (sent Sunday 23:30) within
    # its SLA and completed; W1 and H1 cross; FUd1 (no times) and FU1 2 h / 10 h.
    W40: {
        "org": {
            **SURVEY_HIDDEN,
            NPS: (100 * (1 - 1) / 2, 2),
            CSAT: (100 * 1 / 1, 1),
            SLA: (100 * 1 / 1, 1),
            # survey hidden; responsiveness 1/1, follow-through 1/1, breadth 2/2 (W1, H1)
            COLLAB: ((0.3 * 100 + 0.15 * 100 + 0.15 * 100) / 0.6, 1 + 1 + 2),
            **turnaround((2, 2, 1), (10, 10, 1)),
        },
        "Alpha": {
            **SURVEY_HIDDEN,
            NPS: (0.0, 2),
            CSAT: (100.0, 1),
            # survey hidden and Alpha received nothing: breadth 2/2 alone
            COLLAB: (100.0, 2),
            **turnaround((2, 2, 1), (10, 10, 1)),
        },
        "Beta": {
            **SURVEY_HIDDEN,
            SLA: (100.0, 1),
            # survey hidden; responsiveness 1/1, follow-through 1/1, breadth 1/1 (H1)
            COLLAB: ((0.3 * 100 + 0.15 * 100 + 0.15 * 100) / 0.6, 1 + 1 + 1),
        },
        "Engineering": SURVEY_HIDDEN,
        "Service": SURVEY_HIDDEN,
        "Acorn": {NPS: (0.0, 2), CSAT: (100.0, 1), **turnaround((2, 2, 1), (10, 10, 1))},
    },
    # Week 41, Mon 5 - Sun 11 Oct: Alpha a5-a8 (4), Gamma (2: hidden), Delta (6); the complement rule
    # hides Alpha. F4 8 (passive). H2 within, returned; H3 late, completed; H4 declined; H5 late, in
    # progress. W2 stays in Alpha. FU2 4/20, FU3 1/—, FU4 6/6.
    W41: {
        "org": {
            **ORG_W41,
            NPS: (0.0, 1),
            SLA: (100 * 1 / 4, 4),  # H2 of H2-H5
            # survey 9/12, responsiveness 1/4, follow-through 1/2 (H3 of H2, H3), breadth 3/5
            COLLAB: (0.4 * 75 + 0.3 * 25 + 0.15 * 50 + 0.15 * 60, 12 + 4 + 2 + 5),
            # responses 1 4 6 -> median 4, p90 rank ceil(2.7) = 3 -> 6; resolutions 6 20 -> 13, rank 2 -> 20
            **turnaround((4, 6, 3), ((6 + 20) / 2, 20, 2)),
        },
        "Alpha": {
            **SURVEY_HIDDEN,
            SLA: (0.0, 2),  # H4 never accepted, H5 after 30 h
            # survey hidden, responsiveness 0/2, no follow-through (H5 not finished), breadth 2/4
            # (H2, H4 cross; W2, H5 do not)
            COLLAB: ((0.3 * 0 + 0.15 * 50) / 0.45, 2 + 4),
            # responses 4 1 -> (1 + 4) / 2, rank ceil(1.8) = 2 -> 4; resolution 20
            **turnaround(((1 + 4) / 2, 4, 2), (20, 20, 1)),
        },
        "Beta": {
            NPS: (0.0, 1),
            SLA: (100 * 1 / 2, 2),  # H2 within, H3 a minute late
            # no survey this week; responsiveness 1/2, follow-through 1/2, breadth 3/3 (H2, H3, H4)
            COLLAB: ((0.3 * 50 + 0.15 * 50 + 0.15 * 100) / 0.6, 2 + 2 + 3),
            **turnaround((6, 6, 1), (6, 6, 1)),
        },
        "Gamma": {**SURVEY_HIDDEN, COLLAB: (100.0, 1)},  # breadth 1/1 (H3) alone
        # Delta's six are all of Delta's October, hidden there (below): hidden here too; the
        # survey was Delta's only component, so no collaboration either. (Shown: DELTA.)
        "Delta": SURVEY_HIDDEN,
        "Engineering": SURVEY_HIDDEN,  # Alpha's four: the complement of hidden Sales
        "Service": SURVEY_HIDDEN,  # Delta's six, all of Service's October, hidden there
        "Sales": SURVEY_HIDDEN,  # Gamma's two
        "Acorn": turnaround(((1 + 4) / 2, 4, 2), (20, 20, 1)),
        "Birch": {NPS: (0.0, 1), **turnaround((6, 6, 1), (6, 6, 1))},
    },
    # Week 42, Mon 12 - Sun 18 Oct: Birch changes hands on Wednesday. F5 9 and F6 CSAT 2 are Beta's,
    # F7 3, F8 10, F9 CSAT 5 Delta's. W3 (Delta, alone). FUd2 —, FUd3 5/—, FU5 3/30.
    W42: {
        "org": {
            NPS: (100 * (2 - 1) / 3, 3),
            CSAT: (100 * 1 / 2, 2),
            COLLAB: (0.0, 1),  # breadth 0/1 alone
            # responses 5 3 -> 4, rank 2 -> 5; resolution 30
            **turnaround(((3 + 5) / 2, 5, 2), (30, 30, 1)),
        },
        "Beta": {NPS: (100.0, 1), CSAT: (0.0, 1)},  # FUd2 has no times: no turnaround
        "Delta": {
            NPS: (100 * (1 - 1) / 2, 2),
            CSAT: (100.0, 1),
            COLLAB: (0.0, 1),
            **turnaround((4, 5, 2), (30, 30, 1)),
        },
        "Birch": {NPS: (100 * (2 - 1) / 3, 3), CSAT: (50.0, 2), **turnaround((4, 5, 2), (30, 30, 1))},
    },
    # Week 45, Mon 2 - Sun 8 Nov (after the clocks went back): F10 8, F11 CSAT 3; H6 within, completed;
    # W4 crosses; FU6 5/8.
    W45: {
        "org": {
            NPS: (0.0, 1),
            CSAT: (0.0, 1),
            SLA: (100.0, 1),
            COLLAB: ((0.3 * 100 + 0.15 * 100 + 0.15 * 100) / 0.6, 1 + 1 + 2),  # no survey; breadth H6, W4
            **turnaround((5, 5, 1), (8, 8, 1)),
        },
        "Alpha": {SLA: (100.0, 1), COLLAB: (100.0, 1 + 1 + 1)},  # received H6
        "Delta": {COLLAB: (100.0, 1)},  # sent H6: breadth alone
        "Gamma": {NPS: (0.0, 1), CSAT: (0.0, 1), COLLAB: (100.0, 1), **turnaround((5, 5, 1), (8, 8, 1))},
        "Cedar": {NPS: (0.0, 1), CSAT: (0.0, 1), **turnaround((5, 5, 1), (8, 8, 1))},
    },
    # October: Alpha 8 (shown), Gamma 2 (hidden), Delta 6 (hidden by the complement rule: 6 < 8);
    # Engineering (Alpha's 8) shown, Sales and Service hidden. NPS F2 6, F4 8, F5 9, F7 3, F8 10;
    # CSAT F3 4, F6 2, F9 5. H1-H5, W1-W3. FU1-FU5 and FUd1-FUd3.
    OCT: {
        "org": {
            **ORG_OCT_MONTHLY,
            NPS: (100 * (2 - 2) / 5, 5),
            CSAT: (100 * 2 / 3, 3),
            SLA: (100 * 2 / 5, 5),  # H1, H2 of H1-H5
            # survey 12/16, responsiveness 2/5, follow-through 2/3 (H1, H3 of H1-H3), breadth 5/8
            COLLAB: (0.4 * 75 + 0.3 * 40 + 0.15 * 100 * 2 / 3 + 0.15 * 62.5, 16 + 5 + 3 + 8),
            # responses 1 2 3 4 5 6 -> (3 + 4) / 2, rank ceil(5.4) = 6 -> 6; resolutions 6 10 20 30 ->
            # (10 + 20) / 2, rank ceil(3.6) = 4 -> 30
            **turnaround(((3 + 4) / 2, 6, 6), ((10 + 20) / 2, 30, 4)),
        },
        "Alpha": {
            **ALPHA_MONTHLY,
            NPS: (-100.0, 1),
            CSAT: (100.0, 1),
            SLA: (0.0, 2),
            # survey 5/8, responsiveness 0/2, no follow-through, breadth 4/6 (W1, H1, H2, H4)
            COLLAB: ((0.4 * 62.5 + 0.3 * 0 + 0.15 * 100 * 4 / 6) / 0.85, 8 + 2 + 6),
            # responses 2 4 1 -> 2, rank 3 -> 4; resolutions 10 20 -> 15, rank 2 -> 20
            **turnaround((2, 4, 3), ((10 + 20) / 2, 20, 2)),
        },
        "Beta": {
            NPS: (100 * (1 - 0) / 2, 2),  # F4 8, F5 9: before the transfer
            CSAT: (0.0, 1),
            SLA: (100 * 2 / 3, 3),
            # responsiveness 2/3, follow-through 2/3, breadth 4/4 (H1-H4)
            COLLAB: ((0.3 * 100 * 2 / 3 + 0.15 * 100 * 2 / 3 + 0.15 * 100) / 0.6, 3 + 3 + 4),
            **turnaround((6, 6, 1), (6, 6, 1)),
        },
        "Gamma": {**MONTHLY_HIDDEN, COLLAB: (100.0, 1)},
        "Delta": {
            **MONTHLY_HIDDEN,
            NPS: (0.0, 2),  # F7 3, F8 10: after the transfer
            CSAT: (100.0, 1),
            COLLAB: (0.0, 1),  # breadth 0/1 (W3) alone
            **turnaround((4, 5, 2), (30, 30, 1)),
        },
        "Engineering": ALPHA_MONTHLY,
        "Service": MONTHLY_HIDDEN,
        "Sales": MONTHLY_HIDDEN,
        "Acorn": {NPS: (-100.0, 1), CSAT: (100.0, 1), **turnaround((2, 4, 3), (15, 20, 2))},
        # NPS 8 9 3 10 -> 2 promoters, 1 detractor of 4; CSAT 2 5; responses 6 5 3 -> 5, rank 3 -> 6;
        # resolutions 6 30 -> 18, rank 2 -> 30
        "Birch": {NPS: (100 * (2 - 1) / 4, 4), CSAT: (50.0, 2), **turnaround((5, 6, 3), ((6 + 30) / 2, 30, 2))},
    },
    NOV: {
        "org": {
            NPS: (0.0, 1),
            CSAT: (0.0, 1),
            SLA: (100.0, 1),
            COLLAB: (100.0, 1 + 1 + 2),
            **turnaround((5, 5, 1), (8, 8, 1)),
        },
        "Alpha": {SLA: (100.0, 1), COLLAB: (100.0, 3)},
        "Delta": {COLLAB: (100.0, 1)},
        "Gamma": {NPS: (0.0, 1), CSAT: (0.0, 1), COLLAB: (100.0, 1), **turnaround((5, 5, 1), (8, 8, 1))},
        "Cedar": {NPS: (0.0, 1), CSAT: (0.0, 1), **turnaround((5, 5, 1), (8, 8, 1))},
    },
    # Q4: October and November together (the survey figures are October's).
    Q4: {
        "org": {
            **ORG_OCT_MONTHLY,
            NPS: (100 * (2 - 2) / 6, 6),
            CSAT: (100 * 2 / 4, 4),
            SLA: (100 * 3 / 6, 6),
            # survey 12/16, responsiveness 3/6, follow-through 3/4, breadth (5 + 2)/(8 + 2)
            COLLAB: (0.4 * 75 + 0.3 * 50 + 0.15 * 75 + 0.15 * 70, 16 + 6 + 4 + 10),
            # responses 1 2 3 4 5 5 6 -> 4, rank ceil(6.3) = 7 -> 6; resolutions 6 8 10 20 30 -> 10,
            # rank ceil(4.5) = 5 -> 30
            **turnaround((4, 6, 7), (10, 30, 5)),
        },
        "Alpha": {
            **ALPHA_MONTHLY,
            NPS: (-100.0, 1),
            CSAT: (100.0, 1),
            SLA: (100 * 1 / 3, 3),  # H4, H5 late, H6 within
            # survey 5/8, responsiveness 1/3, follow-through 1/1 (H6), breadth 5/7
            COLLAB: (0.4 * 62.5 + 0.3 * 100 / 3 + 0.15 * 100 + 0.15 * 100 * 5 / 7, 8 + 3 + 1 + 7),
            **turnaround((2, 4, 3), (15, 20, 2)),
        },
        "Beta": {
            NPS: (50.0, 2),
            CSAT: (0.0, 1),
            SLA: (100 * 2 / 3, 3),
            COLLAB: ((0.3 * 100 * 2 / 3 + 0.15 * 100 * 2 / 3 + 0.15 * 100) / 0.6, 3 + 3 + 4),
            **turnaround((6, 6, 1), (6, 6, 1)),
        },
        "Gamma": {
            **MONTHLY_HIDDEN,
            NPS: (0.0, 1),
            CSAT: (0.0, 1),
            COLLAB: (100.0, 2),  # breadth 2/2 (H3, W4)
            **turnaround((5, 5, 1), (8, 8, 1)),
        },
        "Delta": {
            **MONTHLY_HIDDEN,
            NPS: (0.0, 2),
            CSAT: (100.0, 1),
            COLLAB: (100 * 1 / 2, 2),  # breadth: W3 no, H6 yes
            **turnaround((4, 5, 2), (30, 30, 1)),
        },
        "Engineering": ALPHA_MONTHLY,
        "Service": MONTHLY_HIDDEN,
        "Sales": MONTHLY_HIDDEN,
        "Acorn": {NPS: (-100.0, 1), CSAT: (100.0, 1), **turnaround((2, 4, 3), (15, 20, 2))},
        "Birch": {NPS: (25.0, 4), CSAT: (50.0, 2), **turnaround((5, 6, 3), (18, 30, 2))},
        "Cedar": {NPS: (0.0, 1), CSAT: (0.0, 1), **turnaround((5, 5, 1), (8, 8, 1))},
    },
}


# --- The dataset -----------------------------------------------------------------------------------


def _people(org, team, role, count):
    return [
        TeamMembershipFactory(team=team, membership__organization=org, job_role=role).membership for _ in range(count)
    ]


def _pulse(p):
    """The everyone pulse, its round opened on Thursday 24 September at nine."""
    with time_machine.travel(local(9, 21, 9), tick=False):
        pulse = services.survey_create(
            actor=p.admin,
            title="Autumn pulse",
            first_opens_on=dt.date(2026, 9, 24),
            opens_at=dt.time(9, 0),
            audience="everyone",
            cadence="once",
            open_days=18,
            bank_keys=list(QUESTIONS[:-1]),
        )
        round_ = services.survey_activate(actor=p.admin, survey=pulse)
    services.round_open(round_id=round_.pk, now=local(9, 24, 9))
    by_key = {q.bank_key: q for q in round_questions(round_=round_)}
    invitations = {
        i.membership_id: i for i in SurveyInvitation.objects.filter(round=round_).select_related("round__organization")
    }
    return by_key, invitations


def _answer_all(p, settle):
    by_key, invitations = _pulse(p)
    assert len(invitations) == 24
    answers = [
        (p.beta[0], (5, 4, 4, 2, 10), local(9, 30, 23, 30)),
        (p.beta[1], (4, 3, 5, 3, 9), local(9, 30, 23, 30)),
        (p.beta[2], (2, 1, 3, 5, 6), local(9, 30, 23, 30)),
        (p.alpha[0], (5, 5, 4, 4, 9), local(10, 1, 0, 30)),
        (p.alpha[1], (4, 4, 2, 4, 8), local(10, 1, 0, 30)),
        (p.alpha[2], (1, 1, 5, 1, 10), local(10, 1, 0, 30)),
        (p.alpha[3], (5, 2, 4, 2, 7), local(10, 1, 0, 30)),
        (p.alpha[4], (4, 4, 4, 5, 9), local(10, 6, 10)),
        (p.alpha[5], (4, 5, 1, 5, 9), local(10, 6, 10)),
        (p.alpha[6], (2, 2, 2, 4, 3), local(10, 6, 10)),
        (p.alpha[7], (5, 4, 5, 4, 0), local(10, 6, 10)),
        (p.gamma[0], (1, 2, 4, 3, 5), local(10, 6, 11)),
        (p.gamma[1], (5, 5, 5, 2, 10), local(10, 6, 11)),
        (p.delta[0], (4, 4, 4, 4, 10), local(10, 7, 10)),
        (p.delta[1], (4, 4, 4, 4, 10), local(10, 7, 10)),
        (p.delta[2], (3, 3, 3, 3, 5), local(10, 7, 10)),
        (p.delta[3], (5, 1, 4, 2, 8), local(10, 7, 10)),
        (p.delta[4], (4, 2, 5, 1, 9), local(10, 7, 10)),
        (p.delta[5], (5, 5, 5, 5, 7), local(10, 7, 10)),
    ]
    for n, (person, values, moment) in enumerate(answers):
        given = {by_key[key].pk: value for key, value in zip(QUESTIONS, values, strict=True)}
        services.response_submit(actor=person, invitation=invitations[person.pk], answers=given, now=moment)
        if n + 1 == len(answers) or answers[n + 1][2] != moment:
            settle()
    # Open 18 days: it closes on Monday 12 October at nine, and its answers count from then.
    round_id = next(iter(invitations.values())).round_id
    assert services.round_close(round_id=round_id, now=local(10, 12, 9)) == 1
    settle()


def _feedback(p, account, kind, score, moment):
    """Feedback arriving at ``moment`` (the loop opens a detractor's follow-up then)."""
    with time_machine.travel(moment, tick=False):
        feedback, _ = services.feedback_record(
            actor=p.admin,
            account=account,
            score=score,
            kind=kind,
            channel="api",
            external_id=f"{account.name}-{kind}-{moment.isoformat()}",
            received_at=moment,
        )
    return feedback


def _follow_up(p, account, created, response=None, resolution=None):
    follow_up = customers.follow_up_create(actor=p.admin, account=account, summary="Call back", at=created)
    if response is not None and response != resolution:
        follow_up = customers.follow_up_set_status(
            actor=p.admin, follow_up=follow_up, status="in_progress", at=created + response * H
        )
    if resolution is not None:
        customers.follow_up_set_status(actor=p.admin, follow_up=follow_up, status="done", at=created + resolution * H)


def _handoff(sender, account, to_team, sent, *, taker, after=None, then=None):
    """Sent at ``sent`` to ``to_team``; ``taker`` (one of it) accepts ``after`` later and
    then completes or returns it an hour on — or, with no ``after``, declines it."""
    handoff = handoffs.handoff_create(actor=sender, account=account, subject="Over to you", to_team=to_team, at=sent)
    if after is None:
        handoffs.handoff_decline(actor=taker, handoff=handoff, reason="Not ours", at=sent + H)
        return
    handoff = handoffs.handoff_accept(actor=taker, handoff=handoff, at=sent + after)
    if then == "complete":
        handoffs.handoff_complete(actor=taker, handoff=handoff, at=sent + after + H)
    elif then == "return":
        handoffs.handoff_return(actor=taker, handoff=handoff, reason="Cannot do it", at=sent + after + H)


def _work(p):
    value = ValueFactory(organization=p.org, name="Customer first")
    alpha, beta, gamma, delta = p.alpha, p.beta, p.gamma, p.delta
    _handoff(alpha[0], p.acorn, p.beta_team, local(10, 4, 23, 30), taker=beta[0], after=2 * H, then="complete")
    _handoff(alpha[1], p.acorn, p.beta_team, local(10, 5, 0, 30), taker=beta[1], after=24 * H, then="return")
    late = 24 * H + dt.timedelta(minutes=1)
    _handoff(gamma[0], p.cedar, p.beta_team, local(10, 6, 10), taker=beta[0], after=late, then="complete")
    _handoff(beta[0], p.birch, p.alpha_team, local(10, 7, 10), taker=alpha[0])  # declined
    _handoff(alpha[2], p.acorn, p.alpha_team, local(10, 8, 10), taker=alpha[3], after=30 * H)
    for author, team, collaborators, moment in [
        (alpha[0], p.alpha_team, [beta[0]], local(10, 2, 12)),
        (alpha[1], p.alpha_team, [alpha[2]], local(10, 6, 12)),
        (delta[1], p.delta_team, [], local(10, 13, 12)),
    ]:
        wins.win_create(
            actor=author, title="Saved the renewal", values=[value], team=team, collaborators=collaborators, at=moment
        )
    return value


def _customers_and_work(p):
    value = _work(p)
    _feedback(p, p.acorn, "nps", 9, local(9, 30, 23, 30))
    _feedback(p, p.acorn, "nps", 6, local(10, 1, 0, 30))
    _feedback(p, p.acorn, "csat", 4, local(10, 3, 10))
    _feedback(p, p.birch, "nps", 8, local(10, 5, 10))
    _follow_up(p, p.acorn, local(10, 2, 9), 2, 10)
    _follow_up(p, p.acorn, local(10, 6, 9), 4, 20)
    _follow_up(p, p.acorn, local(10, 7, 9), 1)
    _follow_up(p, p.birch, local(10, 8, 9), 6, 6)
    _feedback(p, p.birch, "nps", 9, local(10, 13, 10))
    _feedback(p, p.birch, "csat", 2, local(10, 13, 11))
    with time_machine.travel(local(10, 14, 12), tick=False):
        customers.account_transfer(actor=p.admin, account=p.birch, to_team=p.delta_team, reason="Delta runs it now")
    p.birch.refresh_from_db()
    detractor = _feedback(p, p.birch, "nps", 3, local(10, 15, 10))
    looped = NpsFeedback.objects.select_related("follow_up").get(pk=detractor.pk).follow_up
    customers.follow_up_set_status(actor=p.admin, follow_up=looped, status="in_progress", at=local(10, 15, 15))
    _feedback(p, p.birch, "nps", 10, local(10, 16, 10))
    _feedback(p, p.birch, "csat", 5, local(10, 16, 11))
    _follow_up(p, p.birch, local(10, 16, 9), 3, 30)
    _follow_up(p, p.cedar, local(11, 2, 9), 5, 8)
    _handoff(p.delta[0], p.birch, p.alpha_team, local(11, 3, 10), taker=p.alpha[0], after=3 * H, then="complete")
    _feedback(p, p.cedar, "nps", 8, local(11, 4, 10))
    _feedback(p, p.cedar, "csat", 3, local(11, 4, 11))
    wins.win_create(
        actor=p.gamma[0],
        title="Joint demo",
        values=[value],
        team=p.gamma_team,
        collaborators=[p.delta[2]],
        at=local(11, 4, 12),
    )


def _build(p, settle):
    """The module docstring's dataset. ``settle()`` is called after the customers' and
    daily work's data, then after each batch of answers: where the score task would run
    after a commit."""
    p.org.timezone = "America/New_York"
    p.org.anonymity_threshold = 3
    p.org.save(update_fields=["timezone", "anonymity_threshold"])
    roles = {
        name: JobRoleFactory(organization=p.org, name=role, function__organization=p.org, function__name=name)
        for name, role in (("Engineering", "Engineer"), ("Service", "Service agent"), ("Sales", "Account exec"))
    }
    p.alpha_team, p.beta_team, p.gamma_team, p.delta_team = (
        TeamFactory(organization=p.org, name=name) for name in ("Alpha", "Beta", "Gamma", "Delta")
    )
    p.alpha = _people(p.org, p.alpha_team, roles["Engineering"], 8)
    p.beta = _people(p.org, p.beta_team, roles["Service"], 4)
    p.gamma = _people(p.org, p.gamma_team, roles["Sales"], 3)
    p.delta = _people(p.org, p.delta_team, roles["Service"], 6)
    p.acorn = CustomerAccountFactory(organization=p.org, name="Acorn", owning_team=p.alpha_team)
    p.birch = CustomerAccountFactory(organization=p.org, name="Birch", owning_team=p.beta_team)
    p.cedar = CustomerAccountFactory(organization=p.org, name="Cedar", owning_team=p.gamma_team)
    _customers_and_work(p)
    settle()
    _answer_all(p, settle)
    p.scopes = {
        "org": ("org", p.org.pk),
        **{team.name: ("team", team.pk) for team in (p.alpha_team, p.beta_team, p.gamma_team, p.delta_team)},
        **{name: ("function", role.function_id) for name, role in roles.items()},
        **{account.name: ("account", account.pk) for account in (p.acorn, p.birch, p.cedar)},
    }
    return p


def _read(p):
    p.stored = {
        (row.granularity, row.period_start, row.scope_type, row.scope_id, row.metric): (
            row.value,
            row.sample_size,
            row.suppressed,
        )
        for row in ScoreSnapshot.objects.filter(organization=p.org)
    }
    return p


@pytest.fixture
def scored(personas):
    """The dataset, recomputed in full on 20 November (the nightly repair). The personas
    with ``stored``: {(granularity, start, scope type, scope id, metric): (value, sample
    size, suppressed)} and ``scopes``: name -> (scope type, id)."""
    p = _build(personas, settle=lambda: None)
    with time_machine.travel(local(11, 20, 12), tick=False):
        runs.recompute_all(p.org.pk)
    return _read(p)


def _expected(scopes) -> dict:
    expected = {}
    for (granularity, start), by_scope in EXPECTED_BY_PERIOD.items():
        for scope, metrics in by_scope.items():
            scope_type, scope_id = scopes[scope]
            for metric, figure in metrics.items():
                expected[(granularity, start, scope_type, scope_id, metric)] = (
                    (None, None, True) if figure == HIDDEN else (*figure, False)
                )
    return expected


def _name(key, scopes) -> str:
    names = {ref: name for name, ref in scopes.items()}
    granularity, start, scope_type, scope_id, metric = key
    return f"{granularity} {start} {names.get((scope_type, scope_id), (scope_type, scope_id))} {metric}"


def _differences(scored) -> list[str]:
    """Expected snapshots not stored, stored ones not expected, and figures that differ."""
    expected = _expected(scored.scopes)
    missing = sorted(f"missing: {_name(key, scored.scopes)}" for key in set(expected) - set(scored.stored))
    extra = sorted(f"not expected: {_name(key, scored.scopes)}" for key in set(scored.stored) - set(expected))
    wrong = []
    for key in sorted(set(expected) & set(scored.stored)):
        (value, sample, suppressed), (want_value, want_sample, want_suppressed) = scored.stored[key], expected[key]
        # r is stored rounded to 4 places; every other figure exactly (up to float noise).
        tolerance = 5e-5 + 1e-12 if key[-1].startswith("correlation.") else 1e-9
        same_value = value == want_value if want_value is None else value == pytest.approx(want_value, abs=tolerance)
        if not (same_value and sample == want_sample and suppressed == want_suppressed):
            wrong.append(f"{_name(key, scored.scopes)}: stored {scored.stored[key]}, expected {expected[key]}")
    return [*missing, *extra, *wrong]


def test_every_stored_snapshot_equals_the_figure_worked_out_by_hand(scored):
    differences = _differences(scored)
    assert not differences, "\n".join(["", *differences])
    assert not ScoreSnapshot.objects.exclude(organization=scored.org).exists()


def test_the_outbox_path_stores_the_same_snapshots_as_a_full_recompute(personas):
    """The score task recomputes the periods that new data marks, after each commit.
    An answer changes the response rate of the period its round opened in (week 40,
    September, Q3 here), not only the figures of the day it was given: answers given in
    October must bring September's response rate up to date as well."""

    def settle():
        while runs.recompute_dirty(personas.org.pk):
            pass

    p = _build(personas, settle)
    differences = _differences(_read(p))
    assert not differences, "\n".join(["", *differences])


def test_collaboration_keeps_its_components_and_renormalised_shares(scored):
    """Beta in week 41: no survey answers, so responsiveness, follow-through and breadth
    share the weights 0.3 : 0.15 : 0.15 of 0.6."""
    scope_type, scope_id = scored.scopes["Beta"]
    row = ScoreSnapshot.objects.get(
        organization=scored.org,
        scope_type=scope_type,
        scope_id=scope_id,
        metric=COLLAB,
        granularity="week",
        period_start=W41[1],
    )

    assert row.components["missing"] == ["survey"]
    shares = {name: row.components[name]["share"] for name in ("responsiveness", "follow_through", "breadth")}
    assert shares == pytest.approx({"responsiveness": 0.3 / 0.6, "follow_through": 0.15 / 0.6, "breadth": 0.15 / 0.6})
    assert row.components["responsiveness"]["received"] == 2  # H2 and H3
    assert row.components["breadth"]["crossing"] == 3  # H2, H3 and H4


def test_a_suppressed_snapshot_keeps_nothing_a_subtraction_could_use(scored):
    """Gamma's two answers in October: no value, no sample size, no counts."""
    scope_type, scope_id = scored.scopes["Gamma"]
    rows = ScoreSnapshot.objects.filter(
        organization=scored.org, scope_type=scope_type, scope_id=scope_id, granularity="month", period_start=OCT[1]
    ).exclude(metric__in=[NPS, CSAT, COLLAB])

    assert {row.metric for row in rows} == {ENG, COL, REC, ENPS, CRC, CRR}
    for row in rows:
        assert (row.value, row.sample_size, row.suppressed) == (None, None, True)
        assert row.components == {"suppressed": "fewer than 3 respondents"}
