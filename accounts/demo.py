"""Who is in the demo organisation. No Django imports: `make run` prints these logins."""

DEMO_SLUG = "northwind"
DEMO_PASSWORD = "northwind-demo"
DEMO_DOMAIN = "northwind.example"

# (name, e-mail local part, role) — the admin first: they create the organisation.
PEOPLE = [
    ("Priya Shah", "admin", "admin"),
    ("Marcus Webb", "marcus", "manager"),
    ("Lena Okafor", "lena", "manager"),
    ("Tomás Rivera", "tomas", "manager"),
    ("Hannah Berg", "hannah", "manager"),
    ("Sam Carter", "member", "member"),
    ("Aiko Tanaka", "aiko", "member"),
    ("Ben Adeyemi", "ben", "member"),
    ("Chloé Martin", "chloe", "member"),
    ("Diego Alvarez", "diego", "member"),
    ("Ella Novak", "ella", "member"),
    ("Farid Haddad", "farid", "member"),
    ("Grace Liu", "grace", "member"),
    ("Ivan Petrov", "ivan", "member"),
    ("Jade Morgan", "jade", "member"),
    ("Kofi Mensah", "kofi", "member"),
    ("Laura Fischer", "laura", "member"),
    ("Mateo Rossi", "mateo", "member"),
    ("Nadia Karim", "nadia", "member"),
    ("Oscar Lindqvist", "oscar", "member"),
    ("Paulo Santos", "paulo", "member"),
    ("Rosa Jiménez", "rosa", "member"),
    ("Yusuf Demir", "yusuf", "member"),
]


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


DEMO_LOGINS = [("admin", demo_email("admin")), ("manager", demo_email("marcus")), ("member", demo_email("member"))]
