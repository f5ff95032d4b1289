from planboard.web.display import lead_names, rag_badge, target_label


def test_a_rated_action_shows_its_level(small_plan):
    badge = rag_badge(small_plan.review)
    assert (badge.text, badge.colour, badge.in_key, badge.written) == ("Green", "green", True, "")


def test_a_rating_outside_the_key_shows_as_written(small_plan):
    badge = rag_badge(small_plan.mapping)
    assert (badge.text, badge.colour, badge.in_key, badge.written) == (
        "Yellow",
        "yellow",
        False,
        "Yellow",
    )


def test_an_alias_shows_the_level_and_keeps_the_written_word(small_plan):
    amber = small_plan.strategy.rag_levels.get(label="Amber")
    amber.aliases = ["Yellow"]
    amber.save()  # re-matches the ratings of the strategy
    small_plan.mapping.refresh_from_db()
    badge = rag_badge(small_plan.mapping)
    assert (badge.text, badge.in_key, badge.written) == ("Amber", True, "Yellow")


def test_no_rating_shows_not_rated_in_grey(small_plan):
    badge = rag_badge(small_plan.training)
    assert (badge.text, badge.colour, badge.rated) == ("Not rated", "grey", False)


def test_targets_read_as_the_paper_writes_them(small_plan):
    assert target_label(small_plan.review) == "Mar 2017"
    assert target_label(small_plan.training) == "Completed"


def test_leads_read_as_short_names_or_as_written(small_plan):
    assert lead_names(small_plan.mapping) == "EM, Head of SUEMU"
    small_plan.review.leads.clear()
    assert lead_names(small_plan.review) == "EM"
