from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"

    def ready(self):
        from customers.pages import register_account_section
        from surveys import notices  # noqa: F401 (registers the kinds of notice)
        from surveys.services import (
            loop,  # noqa: F401 (registers the outcome rule of feedback follow-ups)
            nps_rounds,  # noqa: F401 (registers the customer survey e-mail)
        )
        from surveys.views import feedback

        # A customer's page shows its NPS and CSAT history, with the follow-ups it opened.
        register_account_section(feedback.account_section, order=30)

        # Daily work's figures: handoff SLA, collaboration's work components, turnaround.
        from surveys.scoring import engine
        from surveys.scoring import work as work_scores

        engine.register_source(work_scores.figures)
        if work_scores.earliest_day not in engine.EARLIEST_DAY_FINDERS:
            engine.EARLIEST_DAY_FINDERS.append(work_scores.earliest_day)
