"""Template tags for pages of other apps that show a piece of daily work."""

from django import template

from work.forms import WinForm

register = template.Library()


@register.inclusion_tag("work/partials/win_form.html", takes_context=True)
def quick_win_form(context):
    """The three-field "log a win" form, for the person the page is shown to. Pages of
    other apps (home) show it without building this app's form themselves."""
    return {"win_form": WinForm(membership=context["membership"]), "csrf_token": context.get("csrf_token")}
