import pytest


@pytest.fixture(autouse=True)
def no_content_security_policy_violations(page):
    """Every browser test also proves the pages work under the strict CSP: nothing refused."""
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    yield
    assert refused == []
