"""Name search under row-level security (issue 15).

Under RLS PostgreSQL never uses the trigram index of cases_beneficiary.search_name: LIKE (textlike) is not LEAKPROOF,
so the planner may not evaluate it inside an index scan before the tenant policy (no pg_trgm or text-search operator
is LEAKPROOF either, and declaring one so is a superuser's act). So the search keys are copied, by triggers, into
cases_namesearch: a table without RLS that the app role can neither read nor write (no grant, revoked below and in
grant_app_role), read only by piis_name_search(words), a SECURITY DEFINER function that takes the CPAS from the
transaction's own `app.cpas_id` setting, the one the tenant policies read (never from an argument), and returns the
ids of that CPAS's files whose search key holds every word, through a GIN index on (cpas_id, search_name).
The selector then reads those files through the RLS-fenced table as before.
"""

from django.db import migrations

FORWARD = r"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE TABLE cases_namesearch (
    beneficiary_id bigint PRIMARY KEY,
    cpas_id bigint NOT NULL,
    search_name text NOT NULL
);
REVOKE ALL ON TABLE cases_namesearch FROM PUBLIC;
CREATE INDEX cases_namesearch_cpas_trgm ON cases_namesearch USING gin (cpas_id, search_name gin_trgm_ops);

CREATE FUNCTION cases_namesearch_upsert() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO cases_namesearch (beneficiary_id, cpas_id, search_name)
    SELECT id, cpas_id, search_name FROM new_rows
    ON CONFLICT (beneficiary_id) DO UPDATE SET cpas_id = EXCLUDED.cpas_id, search_name = EXCLUDED.search_name
    WHERE (cases_namesearch.cpas_id, cases_namesearch.search_name)
          IS DISTINCT FROM (EXCLUDED.cpas_id, EXCLUDED.search_name);
    RETURN NULL;
END $$;
CREATE FUNCTION cases_namesearch_delete() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    DELETE FROM cases_namesearch n USING old_rows o WHERE n.beneficiary_id = o.id;
    RETURN NULL;
END $$;
CREATE FUNCTION cases_namesearch_truncate() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    TRUNCATE cases_namesearch;
    RETURN NULL;
END $$;
CREATE TRIGGER cases_namesearch_insert AFTER INSERT ON cases_beneficiary
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cases_namesearch_upsert();
CREATE TRIGGER cases_namesearch_update AFTER UPDATE ON cases_beneficiary
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cases_namesearch_upsert();
CREATE TRIGGER cases_namesearch_delete AFTER DELETE ON cases_beneficiary
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION cases_namesearch_delete();
CREATE TRIGGER cases_namesearch_truncate AFTER TRUNCATE ON cases_beneficiary
    FOR EACH STATEMENT EXECUTE FUNCTION cases_namesearch_truncate();

-- The ids of the files of the transaction's CPAS (app.cpas_id, as the tenant policies) whose search key contains
-- every word (words as cases.models.search_key makes them; LIKE wildcards in them are taken literally).
CREATE FUNCTION piis_name_search(words text[]) RETURNS SETOF bigint LANGUAGE plpgsql STABLE SECURITY DEFINER
ROWS 200 SET search_path = public, pg_temp AS $$
DECLARE
    cpas bigint := NULLIF(current_setting('app.cpas_id', true), '')::bigint;
    patterns text[];
BEGIN
    SELECT array_agg('%' || replace(replace(replace(w, '\', '\\'), '%', '\%'), '_', '\_') || '%'
                     ORDER BY length(w) DESC)
      INTO patterns FROM unnest(words) AS w WHERE w IS NOT NULL AND w <> '';
    IF cpas IS NULL OR patterns IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE
        'SELECT beneficiary_id FROM cases_namesearch WHERE cpas_id = $1 AND search_name LIKE $2 '
        'AND search_name LIKE ALL ($3)'
        USING cpas, patterns[1], patterns;
END $$;
"""

BACKWARD = """
DROP FUNCTION IF EXISTS piis_name_search(text[]);
DROP TRIGGER IF EXISTS cases_namesearch_insert ON cases_beneficiary;
DROP TRIGGER IF EXISTS cases_namesearch_update ON cases_beneficiary;
DROP TRIGGER IF EXISTS cases_namesearch_delete ON cases_beneficiary;
DROP TRIGGER IF EXISTS cases_namesearch_truncate ON cases_beneficiary;
DROP FUNCTION IF EXISTS cases_namesearch_upsert();
DROP FUNCTION IF EXISTS cases_namesearch_delete();
DROP FUNCTION IF EXISTS cases_namesearch_truncate();
DROP TABLE IF EXISTS cases_namesearch;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FORWARD)
        # Default privileges (grant_app_role) may have granted the new table to the app role: take them back.
        cursor.execute(
            "SELECT DISTINCT grantee FROM information_schema.role_table_grants "
            "WHERE table_name = 'cases_namesearch' AND grantee <> current_user"
        )
        for (grantee,) in cursor.fetchall():
            cursor.execute(f'REVOKE ALL ON TABLE cases_namesearch FROM "{grantee}"')
        # The existing keys, one CPAS at a time under its own setting (the owner is fenced too: FORCE RLS).
        cursor.execute("SELECT id FROM accounts_cpas ORDER BY id")
        for (cpas_id,) in cursor.fetchall():
            cursor.execute("SELECT set_config('app.cpas_id', %s, true)", [str(cpas_id)])
            cursor.execute(
                "INSERT INTO cases_namesearch (beneficiary_id, cpas_id, search_name) "
                "SELECT id, cpas_id, search_name FROM cases_beneficiary WHERE cpas_id = %s "
                "ON CONFLICT (beneficiary_id) DO NOTHING",
                [cpas_id],
            )
        cursor.execute("SELECT set_config('app.cpas_id', '', true)")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_beneficiary_target_group")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
