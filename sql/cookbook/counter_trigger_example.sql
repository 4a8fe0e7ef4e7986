-- Count every change of one of your tables into a change counter, so that a schedule with the
-- change-counter condition (Conditions.changeCounter, or launcher lamplighter.counter with
-- params {"counter": "...", "threshold": 10}) launches once enough changes accumulated.
-- Role: the owner of the counted table (CREATE TRIGGER needs it)
--   psql "$DATABASE_URL" -v table=public.documents -v counter=document_changes -f sql/cookbook/counter_trigger_example.sql
-- One counter row is updated per changed row: on a table written by many sessions at once, those
-- writers queue on that row; count per statement (FOR EACH STATEMENT) if that matters more than precision.
DROP TRIGGER IF EXISTS lamplighter_count_changes ON :table;
CREATE TRIGGER lamplighter_count_changes
    AFTER INSERT OR UPDATE OR DELETE ON :table
    FOR EACH ROW EXECUTE FUNCTION lamplighter.count_changes(:'counter');
