"""The authorization matrix's customer feedback (tests/authz.py builds it for Acme and
Globex; no tests here): a promoter's answer on the team's account, and one on the
account of the team nobody here manages, whose words only admins may read."""

from surveys.services.feedback import RECORD_FEEDBACK, feedback_record
from teamhub.lib.actors import system_actor


def make_feedback_objects(*, admin, account, other_account, contact, other_contact, org_name: str) -> dict:
    robot = system_actor(admin.organization, "the matrix's webhook", RECORD_FEEDBACK)

    def record(on, who, comment, external_id):
        feedback, _ = feedback_record(
            actor=robot,
            account=on,
            contact=who,
            score=10,
            comment=comment,
            channel="webhook",
            external_id=external_id,
        )
        return feedback

    return {
        "feedback": record(account, contact, f"{org_name} praise for the jackets", f"{org_name}-fb-1"),
        "other_feedback": record(other_account, other_contact, f"{org_name} praise for the skis", f"{org_name}-fb-2"),
    }
