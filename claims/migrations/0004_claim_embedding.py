"""A sentence embedding per tracked claim for matching, cleared whenever the claim's text changes."""

from django.db import migrations, models

CLEAR_STALE_EMBEDDING = """
CREATE FUNCTION claims_claim_clear_embedding() RETURNS trigger AS $$
BEGIN
    -- An embedding describes the old text: drop it unless the same update sets a new one.
    IF NEW.text IS DISTINCT FROM OLD.text AND NEW.embedding IS NOT DISTINCT FROM OLD.embedding THEN
        NEW.embedding := NULL;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER claims_claim_clear_embedding
    BEFORE UPDATE OF text ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_claim_clear_embedding();
"""


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_seed_rating_scales")]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="embedding",
            field=models.BinaryField(editable=False, null=True),
        ),
        migrations.RunSQL(
            CLEAR_STALE_EMBEDDING,
            reverse_sql="DROP TRIGGER claims_claim_clear_embedding ON claims_claim;"
            "DROP FUNCTION claims_claim_clear_embedding();",
        ),
    ]
