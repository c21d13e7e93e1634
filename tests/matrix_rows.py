"""Helpers to declare authorization matrix rows (tests/test_authorization_matrix.py).

Most rows take one of a few shapes; the helpers build them, so a row states only what
is particular to it:

- a collection: a route without an object (a list, a form, an organisation setting);
- an object of Acme's and its twins: the same route aimed at Globex's object
  (``other-org``: 404 for every Acme persona) and, for the API, Globex's slug with
  Acme's object (``cross-slug``: 404 for everyone logged in);
- pages or API: a page sends anonymous to log in, answers a role below it 403, and
  lets the outsider (Globex's admin) act on Globex; the API answers anonymous 401 and
  the outsider, who is no member of Acme, 404.

``p`` is the Scene (tests/authz.py): ``p.teams`` holds Acme's objects, ``p.other_teams``
Globex's.
"""

from tests.authz import LOGIN, Redirect, Route

TO = Redirect  # reads as "redirects to"

# --- Pages ----------------------------------------------------------------------------


def everyone(expect, *, anonymous=LOGIN):
    """Every persona who is logged in gets ``expect``; anonymous is sent to log in."""
    return {"anonymous": anonymous, "outsider": expect, "member": expect, "manager": expect, "admin": expect}


def admin_only(success):
    """An organisation-wide setting: the outsider (Globex's admin) acts on Globex."""
    return {"anonymous": LOGIN, "outsider": success, "member": 403, "manager": 403, "admin": success}


def managers(success):
    """An organisation-wide action for managers and admins; the outsider acts on Globex."""
    return {"anonymous": LOGIN, "outsider": success, "member": 403, "manager": success, "admin": success}


EVERYONE = everyone(200)
ADMIN_ONLY = admin_only(200)
MANAGERS = managers(200)


def acme_object(*, admin, manager=403, member=403):
    """An object of Acme's: it does not exist for the outsider."""
    return {"anonymous": LOGIN, "outsider": 404, "member": member, "manager": manager, "admin": admin}


def globex_object(outsider):
    """The same route aimed at Globex's object: 404 for every Acme persona."""
    return {"anonymous": LOGIN, "outsider": outsider, "member": 404, "manager": 404, "admin": 404}


def only(persona, success, *, others=404, outsider=404):
    """Acme's object that only ``persona`` may act on; the others get ``others``."""
    expect = {"anonymous": LOGIN, "outsider": outsider, "member": others, "manager": others, "admin": others}
    expect[persona] = success
    return expect


def object_routes(name, method, acme_kwargs, globex_kwargs, *, data=None, **expect):
    """A row for Acme's object and an ``other-org`` row for Globex's."""
    success = expect["admin"]
    return [
        Route(name=name, method=method, kwargs=acme_kwargs, data=data, expect=acme_object(**expect)),
        Route(
            name=name,
            variant="other-org",
            method=method,
            kwargs=globex_kwargs,
            data=data,
            # Globex's admin acts on Globex's object as Acme's admin does on Acme's.
            expect=globex_object(success if isinstance(success, int) else Redirect(success.to)),
        ),
    ]


def pk(attribute):
    """kwargs for Acme's and Globex's object named ``attribute`` on TeamsObjects."""
    return (
        lambda p: {"pk": getattr(p.teams, attribute).pk},
        lambda p: {"pk": getattr(p.other_teams, attribute).pk},
    )


def own_teams(p):
    """The requester's organisation's teams/ rows (Acme's for anonymous)."""
    return p.other_teams if p.me is not None and p.me.organization_id == p.other_org.pk else p.teams


# --- API: every route under /api/v1/orgs/{org_slug}/ ----------------------------------

NOT_FOUND = {"anonymous": 401, "outsider": 404, "member": 404, "manager": 404, "admin": 404}


def api_roles(*, member, manager=None, admin=None):
    """Answers of a route under Acme's slug; a role left out answers as the one below."""
    manager = member if manager is None else manager
    admin = manager if admin is None else admin
    return {"anonymous": 401, "outsider": 404, "member": member, "manager": manager, "admin": admin}


def _slug_and_pks(org, objects, attributes):
    return {"org_slug": org.slug, **{k: getattr(objects, v).pk for k, v in attributes.items()}}


def acme(**kwargs):
    """kwargs for Acme's slug and, by name, Acme's objects (attributes of ``p.teams``)."""
    return lambda p: _slug_and_pks(p.org, p.teams, kwargs)


def _twins(name, method, data, *, other_org, cross_slug):
    """Acme's slug with Globex's object, and Globex's slug with Acme's object."""
    return [
        Route(name=name, method=method, variant="other-org", kwargs=other_org, data=data, expect=NOT_FOUND),
        Route(name=name, method=method, variant="cross-slug", kwargs=cross_slug, data=data, expect=NOT_FOUND),
    ]


def collection(name, method="GET", *, data=None, member, manager=None, admin=None):
    """A route without an object: the outsider is not a member of Acme, so 404."""
    expect = api_roles(member=member, manager=manager, admin=admin)
    return [Route(name=name, method=method, kwargs=acme(), data=data, expect=expect)]


def on_object(name, method="GET", *, data=None, variant="", member, manager=None, admin=None, **objects):
    """Rows for a route addressing Acme's ``objects`` (kwarg name -> TeamsObjects
    attribute), plus the other-org and cross-slug rows."""
    expect = api_roles(member=member, manager=manager, admin=admin)
    rows = [Route(name=name, method=method, variant=variant, kwargs=acme(**objects), data=data, expect=expect)]
    if not variant:
        rows += _twins(
            name,
            method,
            data,
            other_org=lambda p: _slug_and_pks(p.org, p.other_teams, objects),
            cross_slug=lambda p: _slug_and_pks(p.other_org, p.teams, objects),
        )
    return rows


def on_scene_object(name, method="GET", *, data=None, member, manager=None, admin=None, pk):
    """Like :func:`on_object` for an object kept on the Scene itself: ``pk`` names the
    attribute of Acme's object and of its Globex twin, e.g. ("invitation", "other_invitation")."""
    acme_attribute, globex_attribute = pk
    expect = api_roles(member=member, manager=manager, admin=admin)
    return [
        Route(
            name=name,
            method=method,
            kwargs=lambda p: {"org_slug": p.org.slug, "pk": getattr(p, acme_attribute).pk},
            data=data,
            expect=expect,
        ),
        *_twins(
            name,
            method,
            data,
            other_org=lambda p: {"org_slug": p.org.slug, "pk": getattr(p, globex_attribute).pk},
            cross_slug=lambda p: {"org_slug": p.other_org.slug, "pk": getattr(p, acme_attribute).pk},
        ),
    ]
