"""A short answer plays the asked role: "who" is who did the asked verb, "where" is where something is."""

from __future__ import annotations

from assistant.answering.question import analyse
from assistant.answering.roles import doers, located
from assistant.answering.spans import people, places


def names(found) -> list[str]:
    return [c.text for c in found]


def who(question: str, sentence: str) -> list[str]:
    return names(doers(analyse(question), sentence, people(sentence)))


def test_who_is_the_one_who_did_the_asked_verb_not_its_object() -> None:
    trump = ("U.S. President Donald Trump, who has faced criticism for his handling of foreign policy, has vowed "
             "‘substantial retaliatory measures’ against IS.")
    assert "Donald Trump" in who("Who vowed retaliation?", trump) and "IS" not in who("Who vowed retaliation?", trump)
    # the doer is no name: none of the names did it, so there is no short answer rather than a wrong one
    assert who("Who fined the company?", "Regulators fined Brightwater Energy, whose chief executive Ada Lin "
                                         "apologised.") == []
    assert who("Who opened an investigation into the fire?",
               "The safety board opened an investigation after fire chief Tom Reyes briefed reporters.") == []


def test_a_passive_names_its_doer_after_by() -> None:
    sentence = "The funeral procession was led by the aged Prince Adam Czartoryski."
    assert who("Who led the funeral procession?", sentence) == ["Adam Czartoryski"]  # the title left out


def test_a_question_without_the_verb_in_the_sentence_keeps_every_name() -> None:
    sentence = "Pentagon spokesperson Sean Parnell said IS carried out the attack."
    assert who("Who confirmed the attack?", sentence) == ["Sean Parnell", "IS"]
    assert who("Who is Sean Parnell?", sentence) == ["Sean Parnell", "IS"]  # no verb asked


def test_an_adjective_before_a_noun_is_not_a_person() -> None:
    assert "American" not in names(people("Super Bowl 50 was an American football game."))
    assert "IS" not in names(people("It was carried out by an IS militant."))


def test_where_is_a_place_something_is_in_or_someone_goes_to() -> None:
    sentence = ("Pentagon spokesperson Sean Parnell confirmed the attack, which occurred on December 13th in the "
                "ancient city of Palmyra.")
    assert names(located(analyse("Where?"), sentence, places(sentence))) == ["Palmyra"]
    went = "In 1848 he left for London, and later visited Scotland."
    assert names(located(analyse("Where did he go?"), went, places(went))) == ["London", "Scotland"]
    # "which city" names its own kind: any name may be one
    assert "Sean Parnell" in names(located(analyse("Which city was attacked?"), sentence, places(sentence)))


def test_a_name_after_of_is_where_only_after_a_kind_of_place() -> None:
    # "the champion of the National Football League": the league belongs to the champion, it is not where
    game = ("Super Bowl 50 was an American football game to determine the champion of the National Football League "
            "for the 2015 season.")
    assert names(located(analyse("Where did Super Bowl 50 take place?"), game, places(game))) == []
    born = "She was born in Otley, 16 kilometres north of Leeds."
    assert names(located(analyse("Where was she born?"), born, places(born))) == ["Otley"]
    village = "The soldiers camped outside the village of Sier."
    assert names(located(analyse("Where were the soldiers going?"), village, places(village))) == ["Sier"]
