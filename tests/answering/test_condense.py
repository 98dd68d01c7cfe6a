from assistant.answering.condense import condense


def test_follow_up_with_a_pronoun_takes_the_previous_question():
    assert condense("When did it happen?", ["Who confirmed the Palmyra attack?"]) == (
        "Who confirmed the Palmyra attack? When did it happen?")


def test_self_contained_question_is_left_alone():
    question = "What did Donald Trump vow against IS?"
    assert condense(question, ["Who confirmed the Palmyra attack?"]) == question


def test_no_history_no_change():
    assert condense("When did it happen?", []) == "When did it happen?"
    assert condense("When did it happen?", None) == "When did it happen?"


def test_a_follow_up_of_a_follow_up_keeps_the_conversations_subject():
    """After "When did it happen?", "Where?" is still about the Palmyra attack."""
    history = ["Who confirmed the Palmyra attack?", "When did it happen?"]
    assert condense("Where?", history) == "Who confirmed the Palmyra attack? When did it happen? Where?"
    assert condense("Who vowed retaliation?", [*history, "Where?"]) == (
        "Who confirmed the Palmyra attack? When did it happen? Where? Who vowed retaliation?")
    assert condense("Where?", ["Who won the cup?", "Who confirmed the Palmyra attack?"]) == (
        "Who confirmed the Palmyra attack? Where?")  # the subject is the last question that stood alone
