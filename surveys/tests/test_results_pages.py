"""Results pages, CSV and API: the same figures, hidden the same way, for whom they are meant."""

import csv
import io

import pytest
from django.urls import reverse

from surveys.tests.conftest import COMMENT

pytestmark = pytest.mark.django_db


def _login(client, membership):
    client.logout()
    client.force_login(membership.user)
    return client


def _page(client, round_, **params):
    return client.get(reverse("surveys:results", args=[round_.pk]), params)


def _api(client, round_, **params):
    url = reverse("api-survey-round-results", kwargs={"org_slug": round_.organization.slug, "pk": round_.pk})
    return client.get(url, params)


def test_the_results_page_shows_figures_and_says_not_enough_for_small_groups(client, answered_round, staffed):
    response = _page(_login(client, staffed.admin), answered_round)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Engagement, favourable" in page and "47%" in page  # 14 of 30
    assert "eNPS" in page and ">20<" in page
    heatmap = page[page.index('id="heatmap"') : page.index("</table>", page.index('id="heatmap"'))]
    sales_row = heatmap[heatmap.index("Sales") : heatmap.index("</tr>", heatmap.index("Sales"))]
    assert "not enough" in sales_row and "%" not in sales_row.replace("not enough", "")
    assert "How is this computed?" in page
    # Nine comments in the organisation: shown, as the organisation's.
    assert "Support idea 0" in page and "Sales idea 0" in page


def test_a_hidden_group_chosen_by_url_shows_nothing_of_its_answers(client, answered_round, staffed):
    response = _page(_login(client, staffed.admin), answered_round, group=f"team:{staffed.sales.pk}")

    page = response.content.decode()
    assert "Not enough responses from Sales" in page
    assert "Sales idea" not in page


def test_a_manager_sees_their_team_and_not_others_even_by_url(client, answered_round, staffed):
    response = _page(_login(client, staffed.manager), answered_round, group=f"team:{staffed.tiny.pk}")

    page = response.content.decode()
    assert response.status_code == 200
    heatmap = page[page.index('id="heatmap"') : page.index("</table>", page.index('id="heatmap"'))]
    assert "Support" in heatmap and "Tiny" not in heatmap and "Sales" not in heatmap
    assert f"team:{staffed.tiny.pk}" not in page and f"team:{staffed.sales.pk}" not in page
    # The group they may not see falls back to the organisation.
    assert "Question by question: Acme" in page


def test_an_admin_previews_as_a_manager(client, answered_round, staffed):
    response = _page(_login(client, staffed.admin), answered_round, **{"as": staffed.manager.pk})

    page = response.content.decode()
    assert "Previewing as Bob Manager" in page
    assert "Tiny" not in page.split("Previewing as")[1]
    assert _page(client, answered_round, **{"as": staffed.member.pk}).status_code == 404
    assert _page(client, answered_round, **{"as": "x"}).status_code == 404


def test_bad_query_values_answer_400(client, answered_round, staffed):
    _login(client, staffed.admin)
    assert _page(client, answered_round, breakdown="person").status_code == 400
    assert _page(client, answered_round, group="team:abc").status_code == 400
    assert _api(client, answered_round, breakdown="person").status_code == 400
    assert _api(client, answered_round, **{"as": "1" * 30}).status_code == 400


def test_members_are_refused_and_another_organisation_finds_nothing(client, answered_round, staffed):
    assert _page(_login(client, staffed.member), answered_round).status_code == 403
    assert _api(client, answered_round).status_code == 403
    client.logout()
    assert _page(_login(client, staffed.outsider), answered_round).status_code == 404


def _csv(client, round_, **params):
    response = client.get(reverse("surveys:results_csv", args=[round_.pk]), params)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_csv_holds_what_the_page_shows_and_not_enough_where_it_hides(client, answered_round, staffed):
    rows = _csv(_login(client, staffed.admin), answered_round)

    header, body = rows[0], rows[1:]
    assert header[:4] == ["round", "group type", "group", "measure"]
    sales = [row for row in body if row[2] == "Sales"]
    assert sales and all(row[-1] == "not enough responses" for row in sales)
    for row in sales:
        numbers = row[5:-1]
        if row[3] == "responses":
            numbers = [row[5], *row[7:-1]]  # invited (column 6) is not an answer
        assert all(cell == "" for cell in numbers), row
    org_responses = next(row for row in body if row[1] == "organization" and row[3] == "responses")
    assert org_responses[5:7] == ["15", "17"]
    text = "\n".join(",".join(row) for row in rows)
    assert "idea" not in text  # comments stay on the page, where their threshold is applied
    assert COMMENT in text


def test_a_manager_csv_has_only_their_groups(client, answered_round, staffed):
    rows = _csv(_login(client, staffed.manager), answered_round)
    assert {row[2] for row in rows[1:]} == {"Acme", "Support"}


def test_the_api_returns_null_and_suppressed_for_hidden_groups(client, answered_round, staffed):
    body = _api(_login(client, staffed.admin), answered_round).json()

    groups = {g["group"]: g for g in body["groups"]}
    assert groups["organization"]["responses"]["respondents"] == 15
    sales = groups[f"team:{staffed.sales.pk}"]
    assert sales["responses"] == {
        "suppressed": True,
        "respondents": None,
        "favourable": None,
        "mean": None,
        "net_score": None,
        "promoters": None,
        "passives": None,
        "detractors": None,
        "distribution": None,
    }
    assert sales["response_rate"] is None
    engagement = next(d for d in body["drivers"] if d["driver"] == "engagement")
    cells = {c["group"]: c for c in engagement["groups"]}
    assert cells["organization"]["favourable"] == pytest.approx(100 * 14 / 30)
    assert cells[f"team:{staffed.sales.pk}"]["favourable"] is None
    comments = next(q for q in body["questions"] if q["kind"] == "text")
    by_group = {c["group"]: c for c in comments["groups"]}
    assert len(by_group["organization"]["comments"]) == 9
    assert by_group[f"team:{staffed.support.pk}"]["comments"] is None


def test_the_api_narrows_to_the_manager_and_previews_for_admins(client, answered_round, staffed):
    manager_view = _api(_login(client, staffed.manager), answered_round).json()
    assert [g["group"] for g in manager_view["groups"]] == ["organization", f"team:{staffed.support.pk}"]
    assert _api(client, answered_round, **{"as": staffed.manager.pk}).status_code == 404  # managers cannot preview
    client.logout()
    preview = _api(_login(client, staffed.admin), answered_round, **{"as": staffed.manager.pk}).json()
    assert preview["groups"] == manager_view["groups"]
    assert preview["questions"] == manager_view["questions"]
    assert preview["viewed_as"] == staffed.manager.pk


def test_the_trend_page_and_api(client, answered_round, staffed):
    _login(client, staffed.admin)
    page = client.get(reverse("surveys:trend", args=[answered_round.survey_id]))
    assert page.status_code == 200 and "Round 1" in page.content.decode()
    url = reverse("api-survey-trend", kwargs={"org_slug": "acme", "pk": answered_round.survey_id})
    body = client.get(url, {"group": f"team:{staffed.sales.pk}"}).json()
    assert body["points"][0]["engagement"]["suppressed"] is True
    assert body["points"][0]["engagement"]["favourable"] is None
    assert client.get(url, {"group": "function:1"}).status_code == 400
    org = client.get(url).json()["points"][0]
    assert org["enps"]["net_score"] == pytest.approx(20.0)
    assert org["drivers"]["engagement"]["favourable"] == pytest.approx(100 * 14 / 30)


def test_the_survey_page_links_each_closed_round_to_its_results(client, answered_round, staffed):
    page = client.get(reverse("surveys:detail", args=[answered_round.survey_id]))
    assert page.status_code == 302  # not logged in
    page = _login(client, staffed.manager).get(reverse("surveys:detail", args=[answered_round.survey_id]))
    assert reverse("surveys:results", args=[answered_round.pk]) in page.content.decode()
    assert reverse("surveys:trend", args=[answered_round.survey_id]) in page.content.decode()


def test_the_csv_neutralises_what_people_typed(client, answered_round, staffed):
    staffed.support.name = '=HYPERLINK("http://evil.example")'
    staffed.support.save(update_fields=["name"])

    rows = _csv(_login(client, staffed.admin), answered_round)

    assert {row[2] for row in rows[1:] if row[1] == "team"} >= {'\'=HYPERLINK("http://evil.example")'}
