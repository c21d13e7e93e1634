"""CSV import: parsing, suggestions, every row rule, all-or-nothing, re-import, the task."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers import services as customer_services
from customers.imports import parsing, services
from customers.imports.run import BATCH, Progress, progress_cache_key, run_import
from customers.models import Contact, CustomerAccount, CustomerImport
from teams import services as team_services

HEADER = "Account Name,CRM ID,Segment,Status,Revenue,Team,Lead,Contact,Email,Opt out\n"


@pytest.fixture
def teams(personas):
    support = team_services.team_create(actor=personas.admin, name="Support", managers=[personas.manager])
    sales = team_services.team_create(actor=personas.admin, name="Sales")
    return support, sales


def upload(actor, text: str, name="crm.csv", encoding="utf-8"):
    return services.import_upload(actor=actor, uploaded_file=SimpleUploadedFile(name, text.encode(encoding)))


def run(actor, text: str, default_team=None, mapping=None):
    customer_import = upload(actor, text)
    services.import_configure(
        actor=actor,
        customer_import=customer_import,
        mapping=mapping or customer_import.mapping,
        default_team=default_team,
    )
    services.import_start(actor=actor, customer_import=customer_import)
    return run_import(customer_import.pk)


def rows(n: int, start: int = 0) -> str:
    return HEADER + "".join(
        f"Co {i},R-{i},Gold,Active,{i}00,Support,bob@example.com,Pat {i},pat{i}@co.example,no\n"
        for i in range(start, start + n)
    )


# --- Parsing -------------------------------------------------------------------------------


def test_read_rows_strips_bom_and_sniffs_semicolons():
    headers, data = parsing.read_rows("\ufeffName;External ID\nAcme;A-1\n".encode())
    assert headers == ["Name", "External ID"]
    assert data == [(2, ["Acme", "A-1"])]


def test_read_rows_keeps_row_numbers_across_blank_lines_and_quoted_commas():
    _headers, data = parsing.read_rows(b'Name,Id\n\n"Smith, Jones",7\n')
    assert data == [(3, ["Smith, Jones", "7"])]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        ("Name,Id\nCaf\xe9,1\n".encode("latin-1"), "UTF-8"),
        (b"Name,Name\nA,B\n", "same name"),
        (b"Name,Id\nAc\x00me,1\n", "NUL characters"),
        ("Name,Id\nAcme,1\n".encode("utf-16-le"), "NUL characters"),
    ],
)
def test_read_rows_refuses_unreadable_files(data, message):
    with pytest.raises(ValidationError, match=message):
        parsing.read_rows(data)


def test_upload_refuses_files_over_the_limit(personas, monkeypatch):
    monkeypatch.setattr(parsing, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(ValidationError, match="larger than"):
        upload(personas.manager, rows(1))
    assert not CustomerImport.objects.exists()


NUL_CSV = HEADER.encode() + b"Co\x00 1,R-1,Gold,Active,100,Support,bob@example.com,Pat,pat@co.example,no\n"


def test_upload_refuses_a_file_with_nul_characters_and_keeps_nothing(personas):
    with pytest.raises(ValidationError) as refused:
        services.import_upload(actor=personas.manager, uploaded_file=SimpleUploadedFile("crm.csv", NUL_CSV))

    assert refused.value.message_dict == {"file": [parsing.NUL_MESSAGE]}
    assert "Save it as CSV (UTF-8)" in parsing.NUL_MESSAGE
    assert not CustomerImport.objects.exists()


def test_a_stored_file_with_nul_characters_fails_its_run_and_imports_nothing(personas, teams):
    """A file uploaded before uploads were checked for NUL is refused when it runs."""
    queued = CustomerImport.objects.create(
        organization=personas.org,
        created_by=personas.manager,
        filename="crm.csv",
        file=ContentFile(NUL_CSV, name="crm.csv"),
        headers=HEADER.strip().split(","),
        mapping={"name": "Account Name", "external_ref": "CRM ID", "team": "Team"},
        status=CustomerImport.Status.QUEUED,
    )

    done = run_import(queued.pk)

    assert done.status == CustomerImport.Status.FAILED
    assert done.message == parsing.NUL_MESSAGE
    assert not CustomerAccount.objects.exists()


def test_upload_by_a_member_is_refused(personas):
    with pytest.raises(PermissionDenied, match="Only managers and admins import accounts"):
        upload(personas.member, rows(1))


def test_suggestions_read_common_crm_headers():
    mapping = parsing.suggest_mapping(["Company", "External ID", "Account Owner", "Contact Email", "Tier", "Notes"])
    assert mapping == {
        "name": "Company",
        "external_ref": "External ID",
        "lead": "Account Owner",
        "contact_email": "Contact Email",
        "segment": "Tier",
        "contact_notes": "Notes",
    }
    assert parsing.suggest_mapping(["Account Name", "Id"]) == {"name": "Account Name", "external_ref": "Id"}


def test_upload_stores_headers_and_suggested_mapping(personas):
    customer_import = upload(personas.manager, rows(2))
    assert customer_import.headers[:2] == ["Account Name", "CRM ID"]
    assert customer_import.mapping["name"] == "Account Name"
    assert customer_import.mapping["external_ref"] == "CRM ID"
    assert customer_import.mapping["team"] == "Team"
    assert customer_import.status == CustomerImport.Status.UPLOADED


def test_configure_needs_name_reference_and_a_team(personas, teams):
    customer_import = upload(personas.manager, "Name,Id\nA,1\n")
    with pytest.raises(ValidationError) as error:
        services.import_configure(
            actor=personas.manager, customer_import=customer_import, mapping={"name": "Name"}, default_team=None
        )
    assert "mapping" in error.value.error_dict and "default_team" in error.value.error_dict
    with pytest.raises(ValidationError, match="team you manage"):
        services.import_configure(
            actor=personas.manager,
            customer_import=customer_import,
            mapping={"name": "Name", "external_ref": "Id"},
            default_team=teams[1],
        )


# --- The run -------------------------------------------------------------------------------


def test_run_creates_accounts_and_contacts(personas, teams):
    done = run(personas.manager, rows(3))
    assert done.status == CustomerImport.Status.SUCCEEDED, done.errors
    assert (done.accounts_created, done.contacts_created, done.processed_rows, done.total_rows) == (3, 3, 3, 3)
    account = CustomerAccount.objects.get(external_ref="R-1")
    assert account.owning_team == teams[0] and account.lead == personas.manager
    assert account.annual_revenue == 100 and account.segment == "Gold"
    assert account.contacts.get().email == "pat1@co.example"


def test_reimport_updates_by_reference_and_never_duplicates(personas, teams):
    run(personas.manager, rows(3))
    changed = rows(3).replace("Co 1,", "Co One,").replace("Gold", "Silver")
    done = run(personas.manager, changed)
    assert (done.accounts_created, done.accounts_updated, done.contacts_created, done.contacts_updated) == (0, 3, 0, 3)
    assert CustomerAccount.objects.count() == 3 and Contact.objects.count() == 3
    assert CustomerAccount.objects.get(external_ref="R-1").name == "Co One"
    assert set(CustomerAccount.objects.values_list("segment", flat=True)) == {"Silver"}


def test_reimport_matches_contacts_by_name_without_email(personas, teams):
    text = "Name,Id,Contact,Preferences\nAcme,A-1,Jo,Mornings\n"
    run(personas.manager, text, default_team=teams[0])
    done = run(personas.manager, text.replace("Mornings", "Afternoons"), default_team=teams[0])
    contact = Contact.objects.get()
    assert done.contacts_updated == 1 and contact.preferences == "Afternoons" and contact.notes_reviewed_at


def test_empty_cells_keep_existing_values(personas, teams):
    run(personas.manager, rows(1))
    done = run(personas.manager, HEADER + "Co 0,R-0,,,,Support,,,,\n")
    account = CustomerAccount.objects.get()
    assert done.accounts_updated == 1 and account.segment == "Gold" and account.lead == personas.manager


def test_status_labels_are_read_case_insensitively(personas, teams):
    run(personas.manager, "Name,Id,Status\nA,1,at risk\nB,2,CHURNED\nC,3,Prospect\n", default_team=teams[0])
    assert dict(CustomerAccount.objects.values_list("external_ref", "status")) == {
        "1": "at_risk",
        "2": "churned",
        "3": "prospect",
    }


BAD_ROWS = [
    (",R-9,Gold,Active,1,Support,,,,\n", "name", "name is missing"),
    ("Co 9,,Gold,Active,1,Support,,,,\n", "external_ref", "external reference is missing"),
    ("Co 9,R-0,Gold,Active,1,Support,,,,\n", "external_ref", "also on row 2"),
    ("Co 9,R-9,Gold,Sleeping,1,Support,,,,\n", "status", "is not a status"),
    ("Co 9,R-9,Gold,Active,-5,Support,,,,\n", "annual_revenue", "from 0"),
    ("Co 9,R-9,Gold,Active,lots,Support,,,,\n", "annual_revenue", "not a number"),
    ("Co 9,R-9,Gold,Active,1,Marketing,,,,\n", "team", "no team named"),
    ("Co 9,R-9,Gold,Active,1,Sales,,,,\n", "team", "do not manage Sales"),
    ("Co 9,R-9,Gold,Active,1,Support,nobody@example.com,,,\n", "lead", "Nobody active"),
    ("Co 9,R-9,Gold,Active,1,Support,,Pat,not-an-email,\n", "contact_email", "not a valid e-mail"),
    ("Co 9,R-9,Gold,Active,1,Support,,,pat@co.example,\n", "contact_name", "contact has no name"),
    ("Co 9,R-9,Gold,Active,1,Support,,Pat,,maybe\n", "contact_opt_out", "not yes or no"),
]


@pytest.mark.parametrize("bad_row, column, reason", BAD_ROWS, ids=[c for _, c, _ in BAD_ROWS])
def test_one_bad_row_fails_the_import_and_writes_nothing(personas, teams, bad_row, column, reason):
    text = rows(1) + bad_row + rows(1, start=5)[len(HEADER) :]
    done = run(personas.manager, text)
    assert done.status == CustomerImport.Status.FAILED
    assert "Nothing was imported" in done.message
    assert [(e["row"], e["column"]) for e in done.errors] == [(3, column)]
    assert reason in done.errors[0]["reason"]
    assert not CustomerAccount.objects.exists() and not Contact.objects.exists()


def test_every_bad_row_is_listed(personas, teams):
    done = run(personas.manager, rows(1) + ",R-8,,,,Support,,,,\n" + "Co 9,R-9,,,x,Support,,,,\n")
    assert [(e["row"], e["column"]) for e in done.errors] == [(3, "name"), (4, "annual_revenue")]


def test_import_never_moves_an_account_to_another_team(personas, teams):
    account = customer_services.account_create(
        actor=personas.admin, name="Old", owning_team=teams[1], external_ref="R-0"
    )
    done = run(personas.admin, rows(1))
    assert done.status == CustomerImport.Status.FAILED and "transfer it" in done.errors[0]["reason"]
    account.refresh_from_db()
    assert account.name == "Old"


def test_manager_may_not_update_an_account_of_a_team_they_do_not_manage(personas, teams):
    customer_services.account_create(actor=personas.admin, name="Theirs", owning_team=teams[1], external_ref="R-0")
    done = run(personas.manager, HEADER + "Co 0,R-0,,,,,,,,\n")
    assert done.status == CustomerImport.Status.FAILED
    assert "which you do not manage" in done.errors[0]["reason"]


def test_admin_imports_into_any_team(personas, teams):
    done = run(personas.admin, rows(1).replace(",Support,", ",Sales,"))
    assert done.status == CustomerImport.Status.SUCCEEDED
    assert CustomerAccount.objects.get().owning_team == teams[1]


def _insert_batches(model, n: int) -> int:
    """How many INSERTs ``bulk_create`` of ``n`` rows issues on this database."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    size = min(BATCH, connection.ops.bulk_batch_size(fields, [None] * n) or n)
    return -(-n // size)


def test_run_queries_do_not_grow_with_rows(personas, teams):
    def queries_for(n, start):
        customer_import = upload(personas.manager, rows(n, start))
        services.import_start(actor=personas.manager, customer_import=customer_import)
        with CaptureQueriesContext(connection) as ctx:
            assert run_import(customer_import.pk).status == CustomerImport.Status.SUCCEEDED
        return len(ctx)

    few, many = queries_for(10, 0), queries_for(200, 1000)
    # Claim, reload, row total, teams, managed teams, people by e-mail, existing
    # accounts, savepoint, insert accounts, insert contacts, succeeded, release, reload.
    assert few == 13
    # SQLite caps parameters per statement, so Django splits each bulk insert of 200 rows
    # into a few statements (PostgreSQL does not); nothing is issued per row.
    extra = (_insert_batches(CustomerAccount, 200) - 1) + (_insert_batches(Contact, 200) - 1)
    assert many == few + extra


def test_finished_import_is_not_run_again(personas, teams):
    done = run(personas.manager, rows(1))
    assert run_import(done.pk) is None
    assert CustomerAccount.objects.count() == 1


def test_start_enqueues_the_task_on_commit_only(personas, teams, django_capture_on_commit_callbacks, monkeypatch):
    from customers import tasks

    sent = []
    monkeypatch.setattr(tasks.run_import, "apply_async", lambda args, kwargs: sent.append(args))
    customer_import = upload(personas.manager, rows(1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.import_start(actor=personas.manager, customer_import=customer_import)
        assert sent == []
    assert len(callbacks) == 1 and sent == [(customer_import.pk,)]
    assert tasks.run_import.name == "customers.run_import" and tasks.run_import.queue == "imports"
    customer_import.refresh_from_db()
    assert customer_import.status == CustomerImport.Status.QUEUED


def test_start_twice_is_refused(personas, teams):
    customer_import = upload(personas.manager, rows(1))
    services.import_start(actor=personas.manager, customer_import=customer_import)
    with pytest.raises(ValidationError, match="queued"):
        services.import_start(actor=personas.manager, customer_import=customer_import)


def test_task_runs_the_import(personas, teams):
    from customers.tasks import run_import as task

    customer_import = upload(personas.manager, rows(2))
    services.import_start(actor=personas.manager, customer_import=customer_import)
    task.run(customer_import.pk)
    assert CustomerAccount.objects.count() == 2


def test_preview_marks_problems_per_cell(personas, teams):
    customer_import = upload(personas.manager, rows(1) + "Co 9,R-9,Gold,Sleeping,1,Support,,,,\n")
    preview = services.import_preview(customer_import=customer_import)
    assert [row["ok"] for row in preview["rows"]] == [True, False]
    status_index = [c.key for c in preview["columns"]].index("status")
    assert "is not a status" in preview["rows"][1]["cells"][status_index]["problems"][0]


# --- Pages ---------------------------------------------------------------------------------


def test_pages_upload_map_preview_start_and_progress(personas, teams, client_for, django_capture_on_commit_callbacks):
    from django.urls import reverse

    client = client_for(personas.manager)
    response = client.post(reverse("customers:imports"), {"file": SimpleUploadedFile("crm.csv", rows(2).encode())})
    customer_import = CustomerImport.objects.get()
    assert response.url == reverse("customers:import_map", args=[customer_import.pk])
    page = client.get(response.url).content.decode()
    assert 'value="CRM ID" selected' in page
    mapping = {"name": "Account Name", "external_ref": "CRM ID", "team": "Team", "default_team": ""}
    response = client.post(reverse("customers:import_map", args=[customer_import.pk]), mapping)
    assert response.url == reverse("customers:import_preview", args=[customer_import.pk])
    assert "All or nothing" in client.get(response.url).content.decode()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("customers:import_start", args=[customer_import.pk]))
    assert response.url == reverse("customers:import_detail", args=[customer_import.pk]) and len(callbacks) == 1
    progress = client.get(reverse("customers:import_progress", args=[customer_import.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in progress
    run_import(customer_import.pk)
    finished = client.get(reverse("customers:import_progress", args=[customer_import.pk])).content.decode()
    assert "every 1s" not in finished and "Accounts created" in finished


def test_upload_page_refuses_a_file_with_nul_characters_and_keeps_nothing(personas, client_for):
    response = client_for(personas.manager).post(
        reverse("customers:imports"), {"file": SimpleUploadedFile("crm.csv", NUL_CSV)}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [parsing.NUL_MESSAGE]}
    assert "NUL characters" in response.content.decode()
    assert not CustomerImport.objects.exists()


def test_progress_lists_row_errors(personas, teams, client_for):
    from django.urls import reverse

    done = run(personas.manager, rows(1) + "Co 9,R-9,,Sleeping,,Support,,,,\n")
    page = client_for(personas.manager).get(reverse("customers:import_detail", args=[done.pk])).content.decode()
    assert "Nothing was imported" in page and "is not a status" in page and "<td>3</td>" in page


def test_member_cannot_upload_and_cannot_see_imports(personas, teams, client_for):
    from django.urls import reverse

    customer_import = upload(personas.manager, rows(1))
    member = client_for(personas.member)
    assert member.get(reverse("customers:imports")).status_code == 403
    assert member.get(reverse("customers:import_detail", args=[customer_import.pk])).status_code == 404
    outsider = client_for(personas.outsider)
    assert outsider.get(reverse("customers:import_map", args=[customer_import.pk])).status_code == 404


def test_progress_written_inside_the_write_transaction_reaches_the_page_through_the_cache(personas, client_for):
    running = CustomerImport.objects.create(
        organization=personas.org,
        created_by=personas.manager,
        filename="crm.csv",
        file=ContentFile(b"Account\n", name="crm.csv"),
        status=CustomerImport.Status.RUNNING,
        total_rows=100,
    )
    progress = Progress(running.pk)
    url = reverse("customers:import_progress", kwargs={"pk": running.pk})

    with transaction.atomic():
        progress(40, "Writing 100 rows…")
        # Another connection would not see an UPDATE made here before the commit.
        assert CustomerImport.objects.get(pk=running.pk).processed_rows == 0
    page = client_for(personas.manager).get(url).content.decode()

    assert "40 of 100 rows" in page
    assert "Writing 100 rows…" in page
    progress.close()
    assert cache.get(progress_cache_key(running.pk)) is None
