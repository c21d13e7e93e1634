"""The question bank shipped with TeamHub: agreement statements grouped by driver, and
the employee NPS question.

Statements are short, about one thing each, in the first person and the present
tense, so that "agree" always means the favourable answer. Each has a stable key:
results over time follow the key, so the wording may be improved without breaking a
trend (change the key when the meaning changes).
"""

from dataclasses import dataclass

from django.db import models


class Driver(models.TextChoices):
    ENGAGEMENT = "engagement", "Engagement"
    COLLABORATION = "collaboration", "Collaboration"
    VALUES = "values", "Alignment with values"
    ROLE_CLARITY = "role_clarity", "Role clarity"
    RECOGNITION = "recognition", "Recognition"
    ENABLEMENT = "enablement", "Enablement"
    CUSTOMER_FOCUS = "customer_focus", "Customer focus"
    GROWTH = "growth", "Growth"


@dataclass(frozen=True)
class BankQuestion:
    key: str
    driver: str
    text: str


ENPS_KEY = "enps"
ENPS_TEXT = "How likely are you to recommend {organisation} as a place to work?"

BANK: tuple[BankQuestion, ...] = tuple(
    BankQuestion(key, driver, text)
    for driver, statements in {
        Driver.ENGAGEMENT: [
            ("engagement.proud", "I am proud to work for {organisation}."),
            ("engagement.motivated", "My work motivates me to do more than what is expected."),
            ("engagement.stay", "I see myself still working here in two years' time."),
            ("engagement.recommend_work", "I would recommend my team to a friend looking for work."),
            ("engagement.energy", "I finish most weeks with energy left for life outside work."),
        ],
        Driver.COLLABORATION: [
            ("collaboration.help", "When I ask another team for help, I get it in good time."),
            ("collaboration.handoffs", "Customer needs I hand to colleagues are taken care of."),
            ("collaboration.share", "Teams here share what they learn instead of keeping it to themselves."),
            ("collaboration.trust", "I trust the people on my team to do what they say they will do."),
            ("collaboration.disagree", "We can disagree openly in my team and still decide together."),
        ],
        Driver.VALUES: [
            ("values.know", "I know the values of {organisation} and what they mean in my work."),
            ("values.lived", "Leaders here act according to our values."),
            ("values.decisions", "Our values help me make decisions when the right answer is not obvious."),
            ("values.fit", "The way we treat customers matches what we say we stand for."),
        ],
        Driver.ROLE_CLARITY: [
            ("role_clarity.expected", "I know what is expected of me in my role."),
            ("role_clarity.excellence", "I know what excellent work looks like in my role."),
            ("role_clarity.priorities", "When priorities clash, I know which comes first."),
            ("role_clarity.others", "I know what my colleagues on other teams are responsible for."),
        ],
        Driver.RECOGNITION: [
            ("recognition.noticed", "When I do good work, someone notices."),
            ("recognition.thanked", "In the last month I was thanked for something I did well."),
            ("recognition.fair", "Recognition here goes to the people who did the work."),
        ],
        Driver.ENABLEMENT: [
            ("enablement.tools", "I have the tools and information I need to do my job well."),
            ("enablement.obstacles", "Obstacles to my work get removed when I raise them."),
            ("enablement.decide", "I can make the decisions my work needs without waiting for approval."),
            ("enablement.time", "I have enough time to do my work properly."),
        ],
        Driver.CUSTOMER_FOCUS: [
            ("customer_focus.first", "In my team, the customer's needs come first."),
            ("customer_focus.know", "I know what our customers value most about working with us."),
            ("customer_focus.fix", "When a customer has a problem, we own it until it is solved."),
            ("customer_focus.feedback", "What customers tell us changes how we work."),
        ],
        Driver.GROWTH: [
            ("growth.learn", "I have learned something new in my work in the last three months."),
            ("growth.path", "I can see how I could grow here."),
            ("growth.feedback", "I get feedback that helps me get better."),
            ("growth.strengths", "I get to use my strengths every day."),
        ],
    }.items()
    for key, text in statements
)

BY_KEY = {question.key: question for question in BANK}


def by_driver() -> dict[str, list[BankQuestion]]:
    """The bank as the builder shows it: each driver with its statements, in order."""
    grouped: dict[str, list[BankQuestion]] = {driver: [] for driver in Driver.values}
    for question in BANK:
        grouped[question.driver].append(question)
    return grouped


def render(text: str, organisation_name: str) -> str:
    return text.replace("{organisation}", organisation_name)
