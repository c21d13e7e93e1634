from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"

    def ready(self):
        from notifications import recipients
        from teams.selectors import TEAM_CHAT, team_chat_address

        # A failed chat post is sent again to the team's webhook as it is then.
        recipients.register(TEAM_CHAT, team_chat_address)
