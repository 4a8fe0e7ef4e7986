-- Watches the rescuer while the program runs (dropped at the end): a running job that leaves
-- 'running' with the rescuer's last_error ('lease of node ... expired at ...').
CREATE TRIGGER chaos_record_rescue
    AFTER UPDATE OF status ON lamplighter.jobs
    FOR EACH ROW
    WHEN (OLD.status = 'running' AND NEW.status IN ('queued', 'failed') AND NEW.last_error LIKE 'lease of node %')
    EXECUTE FUNCTION public.chaos_record_rescue()
