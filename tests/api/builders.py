from piis.accounts.enums import Role
from piis.api.services import token_issue
from tests.factories import make_member


def make_token(cpas, scopes=("read_files", "write_followup", "export", "transfers"), name="Paie CPAS", valid_days=30):
    """An issued API token of `cpas` (its admin issues it); returns the model (its text is on `.text`)."""
    admin = make_member(cpas, Role.CPAS_ADMIN)
    token, text = token_issue(membership=admin, name=name, scopes=list(scopes), valid_days=valid_days)
    token.text = text
    return token
