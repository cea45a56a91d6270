"""Rules that span rows or tables, enforced by PostgreSQL triggers."""

from django.db import migrations

STATEMENT_OFFSETS = """
CREATE FUNCTION claims_statement_check_offsets() RETURNS trigger AS $$
DECLARE
    body_text text;
BEGIN
    SELECT body INTO body_text FROM claims_article WHERE id = NEW.article_id;
    IF NEW."end" > char_length(body_text) THEN
        RAISE EXCEPTION 'statement offsets %..% lie outside the article body (% characters)',
            NEW.start, NEW."end", char_length(body_text) USING ERRCODE = 'check_violation';
    END IF;
    IF substr(body_text, NEW.start + 1, NEW."end" - NEW.start) <> NEW.text THEN
        RAISE EXCEPTION 'statement text does not match the article body at %..%', NEW.start, NEW."end"
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.cue_end IS NOT NULL AND NEW.cue_end > char_length(body_text) THEN
        RAISE EXCEPTION 'cue offsets lie outside the article body' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.speaker_end IS NOT NULL AND NEW.speaker_end > char_length(body_text) THEN
        RAISE EXCEPTION 'speaker offsets lie outside the article body' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER claims_statement_offsets
    BEFORE INSERT OR UPDATE OF article_id, start, "end", text, cue_end, speaker_end
    ON claims_statement FOR EACH ROW EXECUTE FUNCTION claims_statement_check_offsets();
"""

CLAIM_SEARCH_VECTOR = """
CREATE FUNCTION claims_claim_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.text, '')), 'A')
        || setweight(to_tsvector('english', coalesce(NEW.title, '')), 'B');
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER claims_claim_search_vector
    BEFORE INSERT OR UPDATE OF text, title ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_claim_search_vector();
"""


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [
        migrations.RunSQL(
            STATEMENT_OFFSETS,
            reverse_sql="DROP TRIGGER claims_statement_offsets ON claims_statement;"
            "DROP FUNCTION claims_statement_check_offsets();",
        ),
        migrations.RunSQL(
            CLAIM_SEARCH_VECTOR,
            reverse_sql="DROP TRIGGER claims_claim_search_vector ON claims_claim;"
            "DROP FUNCTION claims_claim_search_vector();",
        ),
    ]
