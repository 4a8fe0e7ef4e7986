package dev.lamplighter.chaos;

import static dev.lamplighter.chaos.BrokenRowsCase.Expected.ACCEPTED;
import static dev.lamplighter.chaos.BrokenRowsCase.Expected.REJECTED;
import static dev.lamplighter.chaos.BrokenRowsCase.Expected.REPORTED;
import static dev.lamplighter.chaos.BrokenRowsCase.Expected.WAITING;

import java.util.ArrayList;
import java.util.List;

/**
 * The broken values of the broken-rows program, as operators and scripts really write them: every
 * column of {@code scheduled_jobs} and {@code jobs}, empty, NULL, negative, huge, out-of-range
 * dates, infinity, integers at their limit, zones some parsers accept, crons that never fire, deep
 * and huge JSON, names with quotes, newlines, control characters and non-Latin letters.
 */
final class BrokenRowsCatalogue {

    static final String SCHEDULES = "scheduled_jobs";
    static final String JOBS = "jobs";

    /** 10,000 levels of nested arrays inside an object. */
    static final String DEEP_JSON = "CAST('{\"a\": ' || repeat('[', 10000) || repeat(']', 10000) || '}' AS jsonb)";
    /** An object holding a 10 MB string. */
    static final String HUGE_JSON = "CAST('{\"blob\": \"' || repeat('x', 10485760) || '\"}' AS jsonb)";

    private BrokenRowsCatalogue() {
    }

    static List<BrokenRowsCase> all() {
        List<BrokenRowsCase> all = new ArrayList<>(schedules());
        all.addAll(jobs());
        return all;
    }

    static List<BrokenRowsCase> schedules() {
        List<BrokenRowsCase> c = new ArrayList<>();
        // name
        s(c, "name_empty", "name", "name = ''", "''", REJECTED);
        s(c, "name_null", "name", "name = NULL", "NULL", REJECTED);
        s(c, "name_quote", "name", "name = 'it''s'", "it's", REJECTED);
        s(c, "name_double_quote", "name", "name = 'say \"hi\"'", "say \"hi\"", REJECTED);
        s(c, "name_newline", "name", "name = 'two' || chr(10) || 'lines'", "two\\nlines", REJECTED);
        s(c, "name_tab", "name", "name = 'tab' || chr(9) || 'bed'", "tab\\tbed", REJECTED);
        s(c, "name_bell", "name", "name = 'bell' || chr(7)", "bell\\u0007", REJECTED);
        s(c, "name_escape", "name", "name = 'esc' || chr(27) || '[31m'", "esc\\u001b[31m", REJECTED);
        s(c, "name_leading_blank", "name", "name = ' padded'", "' padded'", REJECTED);
        s(c, "name_cyrillic", "name", "name = 'отчёт'", "отчёт", REJECTED);
        s(c, "name_cjk", "name", "name = '日報'", "日報", REJECTED);
        s(c, "name_accent", "name", "name = 'zürich-report'", "zürich-report", REJECTED);
        s(c, "name_129_chars", "name", "name = repeat('n', 129)", "n × 129", REJECTED);
        s(c, "name_sql", "name", "name = 'x''; DROP TABLE lamplighter.jobs; --'", "x'; DROP TABLE ...", REJECTED);
        // launcher
        s(c, "launcher_empty", "launcher", "launcher = ''", "''", REJECTED);
        s(c, "launcher_blank", "launcher", "launcher = '   '", "'   '", REJECTED);
        s(c, "launcher_null", "launcher", "launcher = NULL", "NULL", REJECTED);
        s(c, "launcher_unknown", "launcher", "launcher = 'NoSuchLauncher'", "NoSuchLauncher", WAITING);
        s(c, "launcher_case", "launcher", "launcher = 'probe'", "probe", WAITING);
        s(c, "launcher_trailing_blank", "launcher", "launcher = 'Probe '", "'Probe '", WAITING, "\"Probe \"");
        s(c, "launcher_newline", "launcher", "launcher = 'Probe' || chr(10) || 'INFO forged line'",
                "Probe\\nINFO forged line", WAITING, "\"Probe\\nINFO forged line\"");
        s(c, "launcher_cyrillic", "launcher", "launcher = 'Пробник'", "Пробник", WAITING);
        s(c, "launcher_huge", "launcher", "launcher = repeat('L', 1000000)", "L × 1,000,000", WAITING, "(1000000 chars)");
        // job_type
        s(c, "job_type_empty", "job_type", "job_type = ''", "''", REJECTED);
        s(c, "job_type_null", "job_type", "job_type = NULL", "NULL", REJECTED);
        s(c, "job_type_unhandled", "job_type", "job_type = 'no_handler_anywhere'", "no_handler_anywhere", ACCEPTED);
        s(c, "job_type_quote_newline", "job_type", "job_type = 'it''s' || chr(10) || 'x'", "it's\\nx", ACCEPTED);
        // schedule_cron
        s(c, "cron_six_fields", "schedule_cron", "schedule_cron = '0 * * * * *'", "0 * * * * *", REJECTED);
        s(c, "cron_reboot", "schedule_cron", "schedule_cron = '@reboot'", "@reboot", REJECTED);
        s(c, "cron_hourly_macro", "schedule_cron", "schedule_cron = '@hourly'", "@hourly", REJECTED);
        s(c, "cron_empty", "schedule_cron", "schedule_cron = ''", "''", REJECTED);
        s(c, "cron_null_no_interval", "schedule_cron", "schedule_cron = NULL", "NULL", REJECTED);
        s(c, "cron_and_interval", "schedule_cron", "schedule_interval = interval '1 hour'",
                "cron and interval both set", REJECTED);
        s(c, "cron_minute_60", "schedule_cron", "schedule_cron = '60 * * * *'", "60 * * * *", REPORTED);
        s(c, "cron_hour_24", "schedule_cron", "schedule_cron = '0 24 * * *'", "0 24 * * *", REPORTED);
        s(c, "cron_step_zero", "schedule_cron", "schedule_cron = '*/0 * * * *'", "*/0 * * * *", REPORTED);
        s(c, "cron_words", "schedule_cron", "schedule_cron = 'every five minutes'", "every five minutes", REJECTED);
        s(c, "cron_feb_31", "schedule_cron", "schedule_cron = '* * 31 2 *'", "* * 31 2 *", REPORTED);
        s(c, "cron_feb_30", "schedule_cron", "schedule_cron = '0 0 30 2 *'", "0 0 30 2 *", REPORTED);
        s(c, "cron_apr_31", "schedule_cron", "schedule_cron = '0 0 31 4 *'", "0 0 31 4 *", REPORTED);
        s(c, "cron_leap_day", "schedule_cron", "schedule_cron = '0 0 29 2 *'", "0 0 29 2 * (every 4 years)", ACCEPTED);
        s(c, "cron_quote", "schedule_cron", "schedule_cron = '0 0 * * ''1'''", "0 0 * * '1'", REPORTED);
        // schedule_interval
        s(c, "interval_zero", "schedule_interval", "schedule_cron = NULL, schedule_interval = interval '0'", "0", REJECTED);
        s(c, "interval_negative", "schedule_interval", "schedule_cron = NULL, schedule_interval = interval '-1 minute'",
                "-1 minute", REJECTED);
        s(c, "interval_infinity", "schedule_interval", "schedule_cron = NULL, schedule_interval = interval 'infinity'",
                "infinity", REJECTED);
        s(c, "interval_300000_years", "schedule_interval",
                "schedule_cron = NULL, schedule_interval = interval '300000 years'", "300000 years", REPORTED, "schedule_interval = 109575000 days");
        s(c, "interval_text", "schedule_interval", "schedule_cron = NULL, schedule_interval = 'five minutes'",
                "five minutes", REJECTED);
        s(c, "interval_one_month", "schedule_interval", "schedule_cron = NULL, schedule_interval = interval '1 month'",
                "1 month", ACCEPTED);
        // time_zone
        s(c, "zone_empty", "time_zone", "time_zone = ''", "''", REJECTED);
        s(c, "zone_null", "time_zone", "time_zone = NULL", "NULL", REJECTED);
        s(c, "zone_est", "time_zone", "time_zone = 'EST'", "EST", REPORTED);
        s(c, "zone_pst", "time_zone", "time_zone = 'PST'", "PST", REPORTED);
        s(c, "zone_cet", "time_zone", "time_zone = 'CET'", "CET", ACCEPTED);
        s(c, "zone_gmt_plus_5", "time_zone", "time_zone = 'GMT+5'", "GMT+5", REPORTED);
        s(c, "zone_utc_plus_0100", "time_zone", "time_zone = 'UTC+01:00'", "UTC+01:00", REPORTED);
        s(c, "zone_etc_gmt_plus_25", "time_zone", "time_zone = 'Etc/GMT+25'", "Etc/GMT+25", REPORTED);
        s(c, "zone_offset", "time_zone", "time_zone = '+05:30'", "+05:30", REPORTED);
        s(c, "zone_lower_case", "time_zone", "time_zone = 'europe/berlin'", "europe/berlin", REPORTED);
        s(c, "zone_trailing_blank", "time_zone", "time_zone = 'Europe/Berlin '", "'Europe/Berlin '", REPORTED, "\"Europe/Berlin \"");
        s(c, "zone_posix", "time_zone", "time_zone = 'EST5EDT'", "EST5EDT", ACCEPTED);
        s(c, "zone_unknown", "time_zone", "time_zone = 'Mars/Olympus_Mons'", "Mars/Olympus_Mons", REPORTED);
        s(c, "zone_region", "time_zone", "time_zone = 'Asia/Kathmandu'", "Asia/Kathmandu", ACCEPTED);
        // enabled
        s(c, "enabled_null", "enabled", "enabled = NULL", "NULL", REJECTED);
        // next_run
        s(c, "next_run_null", "next_run", "next_run = NULL", "NULL", REJECTED);
        s(c, "next_run_infinity", "next_run", "next_run = 'infinity'", "infinity (never due)", ACCEPTED);
        s(c, "next_run_minus_infinity", "next_run", "next_run = '-infinity'", "-infinity", ACCEPTED);
        s(c, "next_run_9999", "next_run", "next_run = '9999-12-31 23:59:59+00'", "9999-12-31", ACCEPTED);
        s(c, "next_run_4713_bc", "next_run", "next_run = '4713-01-01 00:00:00+00 BC'", "4713-01-01 BC", ACCEPTED);
        s(c, "next_run_year_0001", "next_run", "next_run = '0001-01-01 00:00:00+00'", "0001-01-01", ACCEPTED);
        s(c, "next_run_beyond_max", "next_run", "next_run = '294277-01-01 00:00:00+00'", "294277-01-01", REJECTED);
        s(c, "next_run_before_min", "next_run", "next_run = '4714-11-23 00:00:00+00 BC'", "4714-11-23 BC", REJECTED);
        s(c, "next_run_interval_minus_infinity", "next_run",
                "schedule_cron = NULL, schedule_interval = interval '1 minute', next_run = '-infinity'",
                "-infinity (interval schedule)", ACCEPTED);
        s(c, "next_run_interval_4713_bc", "next_run",
                "schedule_cron = NULL, schedule_interval = interval '1 minute', next_run = '4713-01-01 00:00:00+00 BC'",
                "4713-01-01 BC (interval schedule)", ACCEPTED);
        // last_run, last_success, last_outcome, last_error
        s(c, "last_run_minus_infinity", "last_run", "last_run = '-infinity'", "-infinity", ACCEPTED);
        s(c, "last_run_interval_minus_infinity", "last_run",
                "schedule_cron = NULL, schedule_interval = interval '1 minute', last_run = '-infinity'",
                "-infinity (interval schedule, timetable edited)", ACCEPTED);
        s(c, "last_success_infinity", "last_success", "last_success = 'infinity'", "infinity", ACCEPTED);
        s(c, "last_success_4713_bc", "last_success", "last_success = '4713-01-01 00:00:00+00 BC'", "4713-01-01 BC",
                ACCEPTED);
        s(c, "last_outcome_unknown", "last_outcome", "last_outcome = 'ok'", "ok", REJECTED);
        s(c, "last_error_huge", "last_error", "last_error = repeat('e', 1000000)", "e × 1,000,000", ACCEPTED);
        // retry_count, max_retries
        s(c, "retry_count_negative", "retry_count", "retry_count = -1", "-1", REJECTED);
        s(c, "retry_count_int_max", "retry_count", "retry_count = 2147483647", "2147483647", ACCEPTED);
        s(c, "retry_count_overflow", "retry_count", "retry_count = 2147483648", "2147483648", REJECTED);
        s(c, "retry_count_text", "retry_count", "retry_count = 'three'", "three", REJECTED);
        s(c, "max_retries_zero", "max_retries", "max_retries = 0", "0", REJECTED);
        s(c, "max_retries_int_max", "max_retries", "max_retries = 2147483647", "2147483647", ACCEPTED);
        // params
        s(c, "params_array", "params", "params = '[]'", "[]", REJECTED);
        s(c, "params_json_null", "params", "params = 'null'", "null", REJECTED);
        s(c, "params_sql_null", "params", "params = NULL", "NULL", REJECTED);
        s(c, "params_string", "params", "params = '\"text\"'", "\"text\"", REJECTED);
        s(c, "params_not_json", "params", "params = '{batch: 1}'", "{batch: 1}", REJECTED);
        s(c, "params_negative", "params", "params = '{\"batch\": -1}'", "{\"batch\": -1}", REPORTED, "-1");
        s(c, "params_huge_number", "params", "params = '{\"batch\": 1e400}'", "{\"batch\": 1e400}", REPORTED, "batch");
        s(c, "params_beyond_64_bits", "params", "params = '{\"batch\": 18446744073709551617}'",
                "{\"batch\": 18446744073709551617}", REPORTED, "18446744073709551617");
        s(c, "params_wrong_type", "params", "params = '{\"batch\": \"ten\"}'", "{\"batch\": \"ten\"}", REPORTED, "ten");
        s(c, "params_deep", "params", "params = " + DEEP_JSON, "10,000 nested arrays", REPORTED, "nesting depth");
        s(c, "params_huge", "params", "params = " + HUGE_JSON, "10 MB string", ACCEPTED);
        s(c, "params_nul_escape", "params", "params = '{\"a\": \"\\u0000\"}'", "{\"a\": \"\\u0000\"}", REJECTED);
        // automation, priority, max_attempts
        s(c, "automation_unknown", "automation", "automation = 'manual'", "manual", REJECTED);
        s(c, "automation_upper", "automation", "automation = 'HITL'", "HITL", REJECTED);
        s(c, "automation_null", "automation", "automation = NULL", "NULL", REJECTED);
        s(c, "priority_int_max", "priority", "priority = 2147483647", "2147483647", ACCEPTED);
        s(c, "priority_int_min", "priority", "priority = -2147483648", "-2147483648", ACCEPTED);
        s(c, "priority_null", "priority", "priority = NULL", "NULL", REJECTED);
        s(c, "max_attempts_zero", "max_attempts", "max_attempts = 0", "0", REJECTED);
        s(c, "max_attempts_int_max", "max_attempts", "max_attempts = 2147483647", "2147483647", ACCEPTED);
        // declared, created_at, updated_at, misfire_grace, timetable_changed, pending_trigger, requires
        s(c, "declared_array", "declared", "declared = '[1, 2]'", "[1, 2]", ACCEPTED);
        s(c, "created_at_infinity", "created_at", "created_at = 'infinity'", "infinity", ACCEPTED);
        s(c, "created_at_null", "created_at", "created_at = NULL", "NULL", REJECTED);
        s(c, "misfire_grace_zero", "misfire_grace", "misfire_grace = interval '0'", "0", REJECTED);
        s(c, "misfire_grace_negative", "misfire_grace", "misfire_grace = interval '-5 minutes'", "-5 minutes", REJECTED);
        s(c, "misfire_grace_infinity", "misfire_grace", "misfire_grace = interval 'infinity'", "infinity", REJECTED);
        s(c, "misfire_grace_million_years", "misfire_grace", "misfire_grace = interval '1000000 years'",
                "1000000 years", ACCEPTED);
        s(c, "timetable_changed_null", "timetable_changed", "timetable_changed = NULL", "NULL", REJECTED);
        s(c, "pending_trigger_unknown", "pending_trigger", "pending_trigger = 'cron'", "cron", REJECTED);
        s(c, "requires_missing", "requires", "requires = '{gpu}'", "{gpu}", WAITING, "[gpu]");
        s(c, "requires_null_element", "requires", "requires = '{NULL}'", "{NULL}", REJECTED);
        s(c, "requires_empty_string", "requires", "requires = '{\"\"}'", "{\"\"}", REJECTED);
        s(c, "requires_null", "requires", "requires = NULL", "NULL", REJECTED);
        return c;
    }

    static List<BrokenRowsCase> jobs() {
        List<BrokenRowsCase> c = new ArrayList<>();
        j(c, "job_type_empty", "job_type", "job_type = ''", "''", REJECTED);
        j(c, "job_type_null", "job_type", "job_type = NULL", "NULL", REJECTED);
        j(c, "job_type_unknown", "job_type", "job_type = 'no_handler_anywhere'", "no_handler_anywhere", WAITING);
        j(c, "job_type_cyrillic", "job_type", "job_type = 'задача'", "задача", WAITING);
        j(c, "status_unknown", "status", "status = 'done'", "done", REJECTED);
        j(c, "status_upper", "status", "status = 'QUEUED'", "QUEUED", REJECTED);
        j(c, "status_null", "status", "status = NULL", "NULL", REJECTED);
        j(c, "status_running_unlocked", "status", "status = 'running'", "running, no lock", REJECTED);
        j(c, "payload_array", "payload", "payload = '[]'", "[]", REJECTED);
        j(c, "payload_json_null", "payload", "payload = 'null'", "null", REJECTED);
        j(c, "payload_sql_null", "payload", "payload = NULL", "NULL", REJECTED);
        j(c, "payload_deep", "payload", "payload = " + DEEP_JSON, "10,000 nested arrays", REPORTED, "nesting depth");
        j(c, "payload_huge", "payload", "payload = " + HUGE_JSON, "10 MB string", ACCEPTED);
        j(c, "payload_huge_number", "payload", "payload = '{\"n\": 1e400}'", "{\"n\": 1e400}", ACCEPTED);
        j(c, "priority_int_max", "priority", "priority = 2147483647", "2147483647", ACCEPTED);
        j(c, "priority_int_min", "priority", "priority = -2147483648", "-2147483648", ACCEPTED);
        j(c, "priority_overflow", "priority", "priority = 2147483648", "2147483648", REJECTED);
        j(c, "run_at_null", "run_at", "run_at = NULL", "NULL", REJECTED);
        j(c, "run_at_infinity", "run_at", "run_at = 'infinity'", "infinity (never due)", WAITING);
        j(c, "run_at_minus_infinity", "run_at", "run_at = '-infinity'", "-infinity", ACCEPTED);
        j(c, "run_at_4713_bc", "run_at", "run_at = '4713-01-01 00:00:00+00 BC'", "4713-01-01 BC", ACCEPTED);
        j(c, "run_at_beyond_max", "run_at", "run_at = '294277-01-01 00:00:00+00'", "294277-01-01", REJECTED);
        j(c, "attempts_negative", "attempts", "attempts = -1", "-1", REJECTED);
        j(c, "attempts_int_max", "attempts", "attempts = 2147483647, max_attempts = 2147483647", "2147483647",
                REJECTED);
        j(c, "attempts_below_int_max", "attempts", "attempts = 2147483646, max_attempts = 2147483647", "2147483646",
                ACCEPTED);
        j(c, "attempts_above_max", "attempts", "attempts = 7", "7 (max_attempts 3)", REJECTED);
        j(c, "max_attempts_zero", "max_attempts", "max_attempts = 0", "0", REJECTED);
        j(c, "max_attempts_int_max", "max_attempts", "max_attempts = 2147483647", "2147483647", ACCEPTED);
        j(c, "timeout_ms_zero", "timeout_ms", "timeout_ms = 0", "0", REJECTED);
        j(c, "timeout_ms_over_7_days", "timeout_ms", "timeout_ms = 604800001", "604800001", REJECTED);
        j(c, "timeout_ms_bigint_max", "timeout_ms", "timeout_ms = 9223372036854775807", "9223372036854775807", REJECTED);
        j(c, "job_source_unknown", "job_source", "job_source = 'cron'", "cron", REJECTED);
        j(c, "is_system_job_null", "is_system_job", "is_system_job = NULL", "NULL", REJECTED);
        j(c, "schedule_name_unknown", "schedule_name", "schedule_name = 'no-such-schedule'", "no-such-schedule", ACCEPTED);
        j(c, "dedup_key_empty", "dedup_key", "dedup_key = ''", "''", ACCEPTED);
        j(c, "locked_until_infinity", "locked_until", "locked_until = 'infinity', locked_by = 'ghost'",
                "infinity (queued)", ACCEPTED);
        j(c, "consumes_array", "consumes", "consumes = '[]'", "[]", REJECTED);
        j(c, "created_at_null", "created_at", "created_at = NULL", "NULL", REJECTED);
        j(c, "result_array", "result", "result = '[1]'", "[1]", ACCEPTED);
        return c;
    }

    private static void s(List<BrokenRowsCase> list, String id, String column, String set, String shown,
                          BrokenRowsCase.Expected expected, String... mentions) {
        list.add(new BrokenRowsCase("s_" + id, SCHEDULES, column, set, shown, expected,
                mentions.length == 0 ? null : mentions[0]));
    }

    private static void j(List<BrokenRowsCase> list, String id, String column, String set, String shown,
                          BrokenRowsCase.Expected expected, String... mentions) {
        list.add(new BrokenRowsCase("j_" + id, JOBS, column, set, shown, expected,
                mentions.length == 0 ? null : mentions[0]));
    }
}
