"""Case records: families and the people in them, consent, support and case notes.

Every function takes a session, the signed-in user and plain values, checks the user's role
(``services.permissions``), validates with ``services.validation`` (all problems at once, as
``ValidationFailed`` with one ``FieldProblem`` per field) and returns plain values: the GUI,
the CLI, the importer and the tests use the same code. Every change writes an audit event;
reading a whole family (``read_family``) writes a "view" event.
"""
