"""Personal data masked at ingest by default: card numbers (Luhn-checked), national id numbers,
IBANs and credential-named keys, one kind at a time, and rules that don't mangle each other."""

from __future__ import annotations

import pytest

from assistant.config import RedactionSettings
from assistant.text.redaction import credential_name, iban_ok, luhn_ok, redact
from tests.conftest import admin, write_files

DEFAULT = RedactionSettings()


def masked(text: str, settings: RedactionSettings = DEFAULT) -> str:
    out, _ = redact(text, settings)
    assert len(out) == len(text)  # offsets stay valid
    return out


# -- payment cards -----------------------------------------------------------------------------

@pytest.mark.parametrize("card", [
    "4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111",  # Visa, three ways of writing it
    "5555 5555 5555 4444", "2223 0031 2200 3222",  # Mastercard 5- and 2-series
    "3782 822463 10005", "378282246310005",  # Amex 4-6-5
    "6011 1111 1111 1117", "3530 1113 3330 0000",  # Discover, JCB
    "4000 0000 0000 0000 006",  # 19 digits
])
def test_card_numbers_are_masked_whole(card):
    for text in (f"Card on file: {card}.", f"refund to {card} by Friday", f"|{card}|"):
        out = masked(text)
        assert card not in out and "*" * len(card) in out, out


@pytest.mark.parametrize("number", [
    "4111 1111 1111 1112",  # fails the Luhn check
    "1234 5678 9012 3452",  # passes Luhn, but no card starts with 1
    "2026-11-24 1234 5678",  # a date and a reference
    "ticket 4111111111111111111111",  # too long for a card
    "PO 7350 0000 1215 0012 67",  # an order number in groups, too long and no checksum
])
def test_numbers_that_only_look_like_cards_are_kept(number):
    assert masked(number) == number


def test_luhn():
    assert luhn_ok("79927398713") and not luhn_ok("79927398710")


# -- national id numbers -----------------------------------------------------------------------

@pytest.mark.parametrize("text, secret", [
    ("Employee SSN 078-05-1120 on the form", "078-05-1120"),
    ("ssn: 219 09 9999", "219 09 9999"),
    ("SSN: 219099999", "219099999"),  # unformatted, named by its label
    ("Social Security Number 536-22-8765.", "536-22-8765"),
    ("NI number AB 12 34 56 C", "AB 12 34 56 C"),  # UK National Insurance
    ("NINO: JG103759A", "JG103759A"),
    ("Passport No. X1234567 expires 2030", "X1234567"),
    ("national id # 8812150012", "8812150012"),
])
def test_national_id_numbers_are_masked(text, secret):
    out = masked(text)
    assert secret not in out and "*" * len(secret) in out, out


@pytest.mark.parametrize("text", [
    "call 000-12-3456",  # area 000 is never issued
    "ref 666-12-3456",
    "ref 123-00-4567",
    "Section 12.3.4 applies",
    "QQ 12 34 56 C is the example number",  # a prefix HMRC never issues
])
def test_numbers_that_are_not_ids_are_kept(text):
    assert masked(text) == text


# -- IBANs -------------------------------------------------------------------------------------

@pytest.mark.parametrize("iban", [
    "GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432", "DE89 3704 0044 0532 0130 00",
    "FR14 2004 1010 0505 0001 3M02 606", "NL91 ABNA 0417 1643 00",
])
def test_ibans_are_masked(iban):
    out = masked(f"Pay the credit to IBAN {iban} within 30 days.")
    assert iban not in out and "*" * len(iban) in out, out
    assert iban_ok(iban)


def test_a_string_shaped_like_an_iban_with_a_wrong_check_is_kept():
    assert masked("account GB83 WEST 1234 5698 7654 32") == "account GB83 WEST 1234 5698 7654 32"


# -- credential-named keys ---------------------------------------------------------------------

@pytest.mark.parametrize("line, secret", [
    ("aws_secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG", "wJalrXUtnFEMI/K7MDENG"),
    ('"stripe_secret_key": "rk_live_51Habc123"', "rk_live_51Habc123"),
    ("DB_PASSWORD = Tr0ub4dor&3", "Tr0ub4dor&3"),
    ("github-token: 7f3a9c1e5b2d", "7f3a9c1e5b2d"),
    ("zendesk.apiKey: a1b2c3d4e5f6", "a1b2c3d4e5f6"),
    ("signing_key=8s7d6f5g4h3j", "8s7d6f5g4h3j"),
])
def test_values_of_credential_named_keys_are_masked_and_the_key_kept(line, secret):
    out = masked(line)
    assert secret not in out and line.split(secret)[0] in out, out


@pytest.mark.parametrize("line", ["max_tokens: 254000", "primary_key_column: customer_id", "token_budget_days: 3000000",
                                  "keyboard_layout: qwerty-uk"])
def test_ordinary_settings_are_kept(line):
    assert masked(line) == line


def test_credential_names():
    assert credential_name("aws_secret_access_key") and credential_name("client_secret") and credential_name("apiKey")
    assert not credential_name("max_tokens") and not credential_name("primary_key") and not credential_name("keyboard_layout")


# -- the rules together --------------------------------------------------------------------------

def test_the_phone_rule_does_not_take_part_of_a_card_or_a_number_it_rejected():
    with_phones = RedactionSettings(phones=True)
    card = "Card 4111 1111 1111 1111 on file"
    assert masked(card, with_phones) == "Card ******************* on file"
    not_a_card = "Ref 4111 1111 1111 1112 on file"
    assert masked(not_a_card, with_phones) == not_a_card  # not masked as a phone number in part
    assert masked("call +1 415 555 0132 now", with_phones) == "call *************** now"


def test_an_iban_is_masked_whole_before_the_card_rule_sees_its_digits():
    text = "IBAN DE89 3704 0044 0532 0130 00 and card 4111 1111 1111 1111"
    out = masked(text)
    assert out == "IBAN " + "*" * 27 + " and card " + "*" * 19


def test_each_kind_can_be_turned_off():
    text = "card 4111 1111 1111 1111, ssn 078-05-1120, iban GB82 WEST 1234 5698 7654 32"
    assert masked(text, RedactionSettings(cards=False, national_ids=False, ibans=False)) == text


def test_ingest_masks_personal_data_by_default(service_factory, tmp_path):
    service = service_factory()
    corpus = write_files(tmp_path / "docs", {"runbooks/refunds.md": (
        "# Refund to card\n\nCustomer card 4111 1111 1111 1111 gets the refund. Verify SSN 078-05-1120 first; the "
        "payout goes to IBAN GB82 WEST 1234 5698 7654 32.\n\n```\naws_secret_access_key: wJalrXUtnFEMI/K7MDENG/bPx\n```\n")})
    service.ingest(corpus, admin())
    stored = " ".join(c.text for name in service.store.collection_names() for c in service.store.iter_all(name))
    for secret in ("4111 1111 1111 1111", "078-05-1120", "GB82 WEST 1234 5698 7654 32", "wJalrXUtnFEMI"):
        assert secret not in stored
    assert "gets the refund" in stored and "aws_secret_access_key:" in stored
