"""An import's reasons: their English text as the command line and the API say it, the same
reason in Russian for the console, several cards named in one reason, and a reason kept as it
is through a copy or a pickle."""

from __future__ import annotations

import copy
import pickle
import string

from hub.services.import_reasons import TEXTS, Reason, say


def test_a_reason_is_its_english_text_and_says_itself_in_russian() -> None:
    reason = Reason("manager_unknown", name="Никто")
    assert reason == "manager 'Никто' not found (by extension or name)"
    assert say(reason, "ru") == "менеджер 'Никто' не найден (ни по добавочному, ни по имени)"
    assert say(reason, "en") == reason
    assert say("a text of its own", "ru") == "a text of its own"


def test_cards_named_in_one_reason_are_joined_in_each_language() -> None:
    cards = (Reason("card_id", name="Альфа", id=1), Reason("card_new", name="Бета", line=7))
    reason = Reason("phones_split", cards=cards)
    assert reason == (
        "the phones belong to different clients: «Альфа» (id 1) and «Бета» (this file's line 7)"
    )
    assert reason.said("ru") == (
        "телефоны принадлежат разным клиентам: «Альфа» (id 1) и «Бета» (строка 7 этого файла)"
    )


def test_a_copied_or_pickled_reason_keeps_its_key_and_values() -> None:
    reason = Reason("name_differs", card=Reason("card_id", name="Альфа", id=1), name="Альфа Групп")
    pickled = pickle.loads(pickle.dumps(reason))  # noqa: S301 (bytes made just above)
    for again in (copy.deepcopy(reason), pickled):
        assert isinstance(again, Reason)
        assert again == reason and again.said("ru") == reason.said("ru")


def test_every_reason_has_both_languages_with_the_same_values() -> None:
    for key, texts in TEXTS.items():
        assert set(texts) == {"ru", "en"}, key
        fields = [
            sorted(name for _, name, _, _ in string.Formatter().parse(text) if name)
            for text in texts.values()
        ]
        assert fields[0] == fields[1], key
