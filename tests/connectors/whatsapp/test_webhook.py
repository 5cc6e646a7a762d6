"""The Cloud API's webhooks, over HTTP to a receiver that verifies and parses them as the hub
does: the subscription check, the signature of every post, clients' messages and the statuses
of ours."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from connectors.errors import PayloadError, SignatureError
from connectors.messaging import Attachment, Status, WebhookRequest
from connectors.whatsapp import parse, signature, verify
from tests.support.messenger_hooks import Receiver
from tests.support.whatsapp_api import WhatsAppApi, button, location, media, text

CLIENT = "79031234567"
MOMENT = 1_795_000_000


def _post(payload: Any, *, headers: dict[str, str] | None = None) -> WebhookRequest:
    body = json.dumps(payload).encode()
    return WebhookRequest(method="POST", headers=headers or {}, query={}, body=body)


async def test_the_subscription_check_echoes_the_challenge(wa: WhatsAppApi, hook: Receiver) -> None:
    posted = await wa.subscribe(hook.webhook, challenge="1158201444")
    assert (posted.status, posted.text) == (200, "1158201444")


async def test_a_wrong_verify_token_or_mode_is_refused(wa: WhatsAppApi, hook: Receiver) -> None:
    assert (await wa.subscribe(hook.webhook, token="guess")).status == 401
    query = {"hub.mode": "unsubscribe", "hub.verify_token": wa.verify_token, "hub.challenge": "1"}
    with pytest.raises(SignatureError, match=r"hub\.mode"):
        verify(wa.section(), WebhookRequest(method="GET", headers={}, query=query, body=b""))
    assert hook.deliveries == []


def test_a_check_without_a_challenge_is_a_payload_error(wa: WhatsAppApi) -> None:
    query = {"hub.mode": "subscribe", "hub.verify_token": wa.verify_token}
    request = WebhookRequest(method="GET", headers={}, query=query, body=b"")
    verify(wa.section(), request)
    with pytest.raises(PayloadError) as caught:
        parse(wa.section(), request)
    assert caught.value.field == "hub.challenge"


async def test_a_clients_message_is_read(wa: WhatsAppApi, hook: Receiver) -> None:
    message = text(CLIENT, "Добрый день, есть доставка в Ереван?", id="wamid.A1", timestamp=MOMENT)
    posted = await wa.post(hook.webhook, wa.inbound(message, name="Арам"))
    assert posted.status == 200
    [delivery] = hook.deliveries
    [incoming] = delivery.messages
    assert incoming.contact == CLIENT
    assert incoming.user == CLIENT
    assert incoming.phone == "+79031234567"
    assert incoming.name == "Арам"
    assert incoming.message_id == "wamid.A1"
    assert incoming.text == "Добрый день, есть доставка в Ереван?"
    assert incoming.at == datetime.fromtimestamp(MOMENT, UTC)
    assert delivery.statuses == ()


@pytest.mark.parametrize("how", ["other secret", "missing", "altered body", "not hex"])
async def test_a_post_not_signed_with_the_app_secret_is_refused(
    wa: WhatsAppApi, hook: Receiver, how: str
) -> None:
    payload = wa.inbound(text(CLIENT, "привет"))
    body = json.dumps(payload).encode()
    mark = {
        "other secret": signature("another-app", body),
        "missing": "",
        "altered body": wa.sign(body),
        "not hex": "sha256=zz",
    }[how]
    if how == "altered body":
        body = body.replace(b"\\u043f", b"\\u0430")  # "привет" → "аривет", after signing
        assert wa.sign(body) != mark
    posted = await wa.post(hook.webhook, body, signature=mark)
    assert posted.status == 401
    assert hook.deliveries == []


def test_the_signature_header_is_read_whatever_its_case(wa: WhatsAppApi) -> None:
    payload = wa.inbound(text(CLIENT, "привет"))
    body = json.dumps(payload).encode()
    request = WebhookRequest(
        method="POST", headers={"x-hub-signature-256": wa.sign(body).upper()}, query={}, body=body
    )
    verify(wa.section(), request)


def test_media_captions_and_kinds(wa: WhatsAppApi) -> None:
    payload = wa.inbound(
        media(CLIENT, "image", "1001", caption="Вот фото"),
        media(CLIENT, "document", "1002", mime="application/pdf", filename="акт.pdf"),
        media(CLIENT, "audio", "1003", mime="audio/ogg; codecs=opus", voice=True),
        media(CLIENT, "audio", "1004", mime="audio/mpeg"),
        media(CLIENT, "video", "1005", mime="video/mp4"),
        media(CLIENT, "sticker", "1006", mime="image/webp"),
    )
    got = [(m.text, m.attachments) for m in parse(wa.section(), _post(payload)).messages]
    assert got == [
        ("Вот фото", (Attachment(kind="photo", ref="1001", mime="image/jpeg"),)),
        ("", (Attachment(kind="document", ref="1002", name="акт.pdf", mime="application/pdf"),)),
        ("", (Attachment(kind="voice", ref="1003", mime="audio/ogg; codecs=opus"),)),
        ("", (Attachment(kind="audio", ref="1004", mime="audio/mpeg"),)),
        ("", (Attachment(kind="video", ref="1005", mime="video/mp4"),)),
        ("", (Attachment(kind="sticker", ref="1006", mime="image/webp"),)),
    ]


def test_a_location_a_tapped_button_and_shared_contacts(wa: WhatsAppApi) -> None:
    interactive = {
        "from": CLIENT,
        "id": "wamid.I",
        "timestamp": str(MOMENT),
        "type": "interactive",
        "interactive": {"type": "button_reply", "button_reply": {"id": "yes", "title": "Да"}},
    }
    cards = {
        "from": CLIENT,
        "id": "wamid.C",
        "timestamp": str(MOMENT),
        "type": "contacts",
        "contacts": [
            {"name": {"formatted_name": "Ольга"}, "phones": [{"phone": "+7 903 000-11-22"}]}
        ],
    }
    payload = wa.inbound(
        location(CLIENT, 55.7558, 37.6173, name="Офис"),
        button(CLIENT, "Продолжить"),
        interactive,
        cards,
    )
    got = [(m.text, m.attachments) for m in parse(wa.section(), _post(payload)).messages]
    assert got == [
        ("", (Attachment(kind="location", ref="55.7558,37.6173", name="Офис"),)),
        ("Продолжить", ()),
        ("Да", ()),
        ("Ольга +7 903 000-11-22", ()),
    ]


def test_reactions_and_unsupported_messages_are_skipped(wa: WhatsAppApi) -> None:
    reaction = {
        "from": CLIENT,
        "id": "wamid.R",
        "timestamp": str(MOMENT),
        "type": "reaction",
        "reaction": {"message_id": "wamid.X", "emoji": "👍"},
    }
    unsupported = {**reaction, "id": "wamid.U", "type": "unsupported", "errors": [{"code": 131051}]}
    payload = wa.inbound(reaction, unsupported, text(CLIENT, "и ещё"))
    assert [m.text for m in parse(wa.section(), _post(payload)).messages] == ["и ещё"]


async def test_statuses_of_our_messages(wa: WhatsAppApi, hook: Receiver) -> None:
    for state in ("sent", "delivered", "read"):
        payload = wa.status("wamid.OUT1", state, recipient=CLIENT, timestamp=MOMENT)
        assert (await wa.post(hook.webhook, payload)).status == 200
    failed = wa.status(
        "wamid.OUT2",
        "failed",
        recipient=CLIENT,
        timestamp=MOMENT + 5,
        error=(131047, "Re-engagement message"),
    )
    assert (await wa.post(hook.webhook, failed)).status == 200
    at = datetime.fromtimestamp(MOMENT, UTC)
    assert [d.statuses for d in hook.deliveries] == [
        (Status(message_id="wamid.OUT1", state="sent", at=at),),
        (Status(message_id="wamid.OUT1", state="delivered", at=at),),
        (Status(message_id="wamid.OUT1", state="read", at=at),),
        (
            Status(
                message_id="wamid.OUT2",
                state="failed",
                at=datetime.fromtimestamp(MOMENT + 5, UTC),
                error="131047: Re-engagement message",
            ),
        ),
    ]
    assert all(d.messages == () for d in hook.deliveries)


def test_statuses_the_hub_does_not_track_are_skipped(wa: WhatsAppApi) -> None:
    payload = wa.status("wamid.OUT1", "deleted", recipient=CLIENT)
    assert parse(wa.section(), _post(payload)).statuses == ()


def test_changes_of_another_number_or_field_are_skipped(wa: WhatsAppApi) -> None:
    other = wa.inbound(text(CLIENT, "не вам"))
    other["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999"
    template = {
        "object": "whatsapp_business_account",
        "entry": [
            {"id": "1", "changes": [{"field": "message_template_status_update", "value": {}}]}
        ],
    }
    for payload in (other, template):
        delivery = parse(wa.section(), _post(payload))
        assert (delivery.messages, delivery.statuses) == ((), ())


def _spoil_message(change: Any) -> None:
    change["messages"][0]["from"] = "+79031234567"


@pytest.mark.parametrize(
    ("spoil", "field"),
    [
        (lambda p: p.__setitem__("object", "page"), "object"),
        (lambda p: p.__setitem__("entry", {}), "entry"),
        (lambda p: p["entry"][0].__setitem__("changes", None), "entry[0].changes"),
        (
            lambda p: p["entry"][0]["changes"][0].__setitem__("value", []),
            "entry[0].changes[0].value",
        ),
        (
            lambda p: p["entry"][0]["changes"][0]["value"].pop("metadata"),
            "entry[0].changes[0].value.metadata",
        ),
        (
            lambda p: _spoil_message(p["entry"][0]["changes"][0]["value"]),
            "entry[0].changes[0].value.messages[0].from",
        ),
        (
            lambda p: p["entry"][0]["changes"][0]["value"]["messages"][0].pop("id"),
            "entry[0].changes[0].value.messages[0].id",
        ),
        (
            lambda p: p["entry"][0]["changes"][0]["value"]["messages"][0].__setitem__(
                "timestamp", "yesterday"
            ),
            "entry[0].changes[0].value.messages[0].timestamp",
        ),
        (
            lambda p: p["entry"][0]["changes"][0]["value"]["messages"][0]["text"].pop("body"),
            "entry[0].changes[0].value.messages[0].text.body",
        ),
    ],
)
async def test_a_malformed_post_is_a_400_naming_the_field(
    wa: WhatsAppApi, hook: Receiver, spoil: Any, field: str
) -> None:
    payload = wa.inbound(text(CLIENT, "текст"))
    spoil(payload)
    with pytest.raises(PayloadError) as caught:
        parse(wa.section(), _post(payload))
    assert caught.value.field == field
    posted = await wa.post(hook.webhook, payload)
    assert posted.status == 400
    assert json.loads(posted.text)["field"] == field
    assert hook.deliveries == []


def test_a_malformed_status_names_its_field(wa: WhatsAppApi) -> None:
    payload = wa.status("wamid.OUT1", "read", recipient=CLIENT)
    payload["entry"][0]["changes"][0]["value"]["statuses"][0]["timestamp"] = None
    with pytest.raises(PayloadError) as caught:
        parse(wa.section(), _post(payload))
    assert caught.value.field == "entry[0].changes[0].value.statuses[0].timestamp"


def test_a_body_that_is_not_json_is_a_payload_error(wa: WhatsAppApi) -> None:
    request = WebhookRequest(method="POST", headers={}, query={}, body=b"{")
    with pytest.raises(PayloadError) as caught:
        parse(wa.section(), request)
    assert caught.value.field == "body"
