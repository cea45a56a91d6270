"""A small tracked-claims corpus imported through the bulk importer."""

import json

import pytest

CLAIMS = [
    ("c-vaccine", "The measles vaccine causes autism in children.", "Do Vaccines Cause Autism?"),
    ("c-wall", "Mexico will pay for the border wall.", "Will Mexico Pay for the Wall?"),
    ("c-cocaine", "Hurricane Dorian washed bricks of cocaine ashore in Florida.", "Cocaine Bricks"),
    ("c-eastwood", "Clint Eastwood posted a message supporting the president.", "Eastwood Post"),
    ("c-pizza", "A pizza restaurant in Washington hid a child trafficking ring.", "Pizzagate"),
    ("c-moon", "The 1969 moon landing was filmed in a Hollywood studio.", "Moon Landing Hoax"),
    ("c-tax", "The new tax bill raises taxes on 80 percent of middle-class families.", "Tax Bill"),
    ("c-fires", "Arsonists started most of the Australian bushfires in 2020.", "Arson Fires"),
    ("c-5g", "5G mobile networks spread the coronavirus.", "5G and COVID-19"),
    ("c-shark", "A shark swam on a flooded highway after the hurricane.", "Highway Shark"),
    ("c-draft", "Text messages say people were selected for the military draft.", "Draft Texts"),
    ("c-fluoride", "Fluoride in drinking water lowers children's IQ.", "Fluoride and IQ"),
]


def lines(rows):
    return [json.dumps({"external_id": e, "text": t, "title": ti}) for e, t, ti in rows]


@pytest.fixture
def tracked_claims(db):
    from claims.matching.importing import import_claims
    from claims.models import Claim

    import_claims(lines(CLAIMS))

    return {c.external_id: c for c in Claim.objects.all()}
