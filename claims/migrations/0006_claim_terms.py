"""ClaimTerms: a narrow copy of each tracked claim's lexemes that matching scans (see the model).

Triggers keep it in step with claims_claim: a new or re-worded claim gets its terms (the search
vector without positions), a merged one loses them. Existing claims are copied over.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

SYNC_TERMS = """
CREATE FUNCTION claims_claim_sync_terms() RETURNS trigger AS $$
BEGIN
    IF NEW.state = 'merged' OR NEW.search_vector IS NULL THEN
        DELETE FROM claims_claimterms WHERE claim_id = NEW.id;
    ELSE
        INSERT INTO claims_claimterms (claim_id, terms) VALUES (NEW.id, strip(NEW.search_vector))
        ON CONFLICT (claim_id) DO UPDATE SET terms = EXCLUDED.terms;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER claims_claim_terms_insert
    AFTER INSERT ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_claim_sync_terms();

-- The columns the search vector trigger (0002) reads, and the state; the WHEN test keeps a
-- save that rewrites every column without changing them from touching the terms.
CREATE TRIGGER claims_claim_terms_update
    AFTER UPDATE OF text, title, state ON claims_claim
    FOR EACH ROW
    WHEN (OLD.search_vector IS DISTINCT FROM NEW.search_vector OR OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION claims_claim_sync_terms();

INSERT INTO claims_claimterms (claim_id, terms)
SELECT id, strip(search_vector) FROM claims_claim
WHERE state <> 'merged' AND search_vector IS NOT NULL;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0005_claim_ordering_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClaimTerms",
            fields=[
                (
                    "claim",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="claims.claim",
                    ),
                ),
                ("terms", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        fields=["terms"], name="claimterms_terms_gin"
                    )
                ],
            },
        ),
        migrations.RunSQL(
            SYNC_TERMS,
            reverse_sql="DROP TRIGGER claims_claim_terms_update ON claims_claim;"
            "DROP TRIGGER claims_claim_terms_insert ON claims_claim;"
            "DROP FUNCTION claims_claim_sync_terms();",
        ),
    ]
