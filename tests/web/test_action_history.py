import datetime

from planboard.web.history import FieldChange, action_history


def changes(entry):
    return {change.field: (change.before, change.after) for change in entry.changes}


def test_it_lists_changes_newest_first_ending_with_creation(small_plan):
    history = action_history(small_plan.review)
    assert history[-1].kind == "Created"
    assert [entry.when for entry in history] == sorted(
        (entry.when for entry in history), reverse=True
    )


def test_it_shows_field_changes_as_the_reader_sees_them(small_plan, user):
    action = small_plan.review
    action.target_date = datetime.date(2017, 6, 30)
    action.rag_level = small_plan.strategy.rag_levels.get(label="Amber")
    action._history_user = user
    action.save()
    latest = action_history(action)[0]
    assert latest.who == "Oscar Tester"
    assert latest.kind == "Changed"
    assert changes(latest) == {
        "Target date": ("Mar 2017", "Jun 2017"),
        "RAG rating": ("Green", "Amber"),
    }


def test_it_shows_changes_of_leads_and_commitments(small_plan):
    action = small_plan.review
    action.leads.add(small_plan.head)
    latest = action_history(action)[0]
    assert latest.who == "System"
    assert latest.changes == [FieldChange("Leads", "EM", "EM, Head of SUEMU")]


def test_it_leaves_out_saves_that_changed_nothing_shown(small_plan):
    action = small_plan.review
    before = len(action_history(action))
    action.save()
    assert len(action_history(action)) == before


def test_it_keeps_a_save_with_a_reason(small_plan):
    action = small_plan.review
    action._change_reason = "Checked at SUSEG"
    action.save()
    assert action_history(action)[0].reason == "Checked at SUSEG"


def test_the_action_page_shows_the_history(signed_in, small_plan, user):
    action = small_plan.review
    action.progress = "SUSEG meetings now rotate between sites."
    action._history_user = user
    action.save()
    text = signed_in.get("/strategies/demo/actions/1.1/").text
    assert "Change history" in text
    assert '<span class="pb-after">SUSEG meetings now rotate between sites.</span>' in text
    assert "<strong>Progress</strong>" in text
    assert '<td class="nhsuk-table__cell">Oscar Tester</td>' in text


def test_every_field_has_words_for_no_value(small_plan):
    from planboard.web.history import NOT_SET, _Names

    action = small_plan.review
    records = list(action.history.all())
    shown = _Names(type(action).history.model, records).values(records[0])

    assert set(NOT_SET) == set(shown)
    assert FieldChange("RAG rating", "", "Green").not_set == "no rating"
    assert all(words and words[0].islower() and "None" not in words for words in NOT_SET.values())


def test_the_action_page_says_no_rating_where_there_was_none(signed_in, small_plan, user):
    action = small_plan.review  # rated Green
    action.rag_level = None
    action._history_user = user
    action.save()
    action.rag_level = small_plan.strategy.rag_levels.get(label="Amber")
    action.save()

    text = signed_in.get(f"/strategies/demo/actions/{action.ref}/").text

    assert '<span class="pb-before">no rating</span>' in text
    assert '<span class="pb-after">no rating</span>' in text
    assert ">None<" not in text
