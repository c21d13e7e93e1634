-- The floor of `make bench-scores`: every snapshot value of one organisation (all
-- metrics, scopes and granularities), by hand-written read-only SQL over the same
-- rows, one pass per source table with GROUPING SETS over week, month and quarter.
-- Survey figures count closed rounds only, as the engine's do.
-- It computes what the engine stores before suppression (value and sample size);
-- no upsert, no complement rule. Parameters: %(org)s, %(tz)s, %(threshold)s and the
-- organisation's collaboration weights %(w_survey)s, %(w_responsiveness)s,
-- %(w_follow_through)s, %(w_breadth)s.
-- Output: scope_type, scope_id, metric, granularity, period_start, value, sample_size.
WITH
answers AS (
    SELECT r.submitted_on::timestamp AS day, r.team_id, r.function_id, q.driver,
           q.kind, q.bank_key, a.value, a.response_id
    FROM surveys_answer a
    JOIN surveys_response r ON r.id = a.response_id
    JOIN surveys_surveyround sr ON sr.id = r.round_id
    JOIN surveys_question q ON q.id = a.question_id
    WHERE r.organization_id = %(org)s AND a.value IS NOT NULL AND sr.status = 'closed'
),
pulse AS (
    SELECT CASE WHEN GROUPING(w) = 0 THEN 'week' WHEN GROUPING(m) = 0 THEN 'month' ELSE 'quarter' END AS granularity,
           COALESCE(w, m, qr) AS period_start,
           CASE WHEN GROUPING(team_id) = 0 THEN 'team' WHEN GROUPING(function_id) = 0 THEN 'function' ELSE 'org' END
               AS scope_type,
           CASE WHEN GROUPING(team_id) = 0 THEN team_id WHEN GROUPING(function_id) = 0 THEN function_id
                ELSE %(org)s END AS scope_id,
           driver,
           COUNT(*) FILTER (WHERE kind = 'agreement' AND value >= 4) AS favourable,
           COUNT(*) FILTER (WHERE kind = 'agreement') AS answers,
           COUNT(DISTINCT response_id) FILTER (WHERE kind = 'agreement') AS respondents,
           COUNT(*) FILTER (WHERE bank_key = 'enps' AND value >= 9) AS promoters,
           COUNT(*) FILTER (WHERE bank_key = 'enps' AND value <= 6) AS detractors,
           COUNT(*) FILTER (WHERE bank_key = 'enps') AS enps
    FROM (SELECT *, date_trunc('week', day)::date AS w, date_trunc('month', day)::date AS m,
                 date_trunc('quarter', day)::date AS qr FROM answers) x
    GROUP BY GROUPING SETS (
        (w, driver), (w, driver, team_id), (w, driver, function_id),
        (m, driver), (m, driver, team_id), (m, driver, function_id),
        (qr, driver), (qr, driver, team_id), (qr, driver, function_id))
),
-- Which drivers move with engagement: Pearson's r between each response's mean on the
-- engagement statements and its mean on another driver's (months and quarters only;
-- none with fewer than three pairs or no spread, as surveys.formulas.correlation).
means AS (
    SELECT response_id, date_trunc('month', day)::date AS m, date_trunc('quarter', day)::date AS qr,
           team_id, function_id, driver, AVG(value::float8) AS mean
    FROM answers WHERE kind = 'agreement' AND driver <> ''
    GROUP BY response_id, day, team_id, function_id, driver
),
correlation AS (
    SELECT CASE WHEN GROUPING(y.m) = 0 THEN 'month' ELSE 'quarter' END AS granularity,
           COALESCE(y.m, y.qr) AS period_start,
           CASE WHEN GROUPING(y.team_id) = 0 THEN 'team' WHEN GROUPING(y.function_id) = 0 THEN 'function' ELSE 'org' END
               AS scope_type,
           CASE WHEN GROUPING(y.team_id) = 0 THEN y.team_id WHEN GROUPING(y.function_id) = 0 THEN y.function_id
                ELSE %(org)s END AS scope_id,
           y.driver, COUNT(*) AS n, CORR(y.mean, x.mean) AS r
    FROM means x JOIN means y ON y.response_id = x.response_id AND y.driver <> x.driver
    WHERE x.driver = 'engagement'
    GROUP BY GROUPING SETS ((y.m, y.driver), (y.m, y.driver, y.team_id), (y.m, y.driver, y.function_id),
                            (y.qr, y.driver), (y.qr, y.driver, y.team_id), (y.qr, y.driver, y.function_id))
),
invited AS (
    SELECT CASE WHEN GROUPING(w) = 0 THEN 'week' WHEN GROUPING(m) = 0 THEN 'month' ELSE 'quarter' END AS granularity,
           COALESCE(w, m, qr) AS period_start,
           CASE WHEN GROUPING(team_id) = 0 THEN 'team' WHEN GROUPING(function_id) = 0 THEN 'function' ELSE 'org' END
               AS scope_type,
           CASE WHEN GROUPING(team_id) = 0 THEN team_id WHEN GROUPING(function_id) = 0 THEN function_id
                ELSE %(org)s END AS scope_id,
           COUNT(*) AS invited, COUNT(*) FILTER (WHERE answered) AS answered
    FROM (SELECT i.team_id, i.function_id, i.answered,
                 date_trunc('week', r.opens_at AT TIME ZONE %(tz)s)::date AS w,
                 date_trunc('month', r.opens_at AT TIME ZONE %(tz)s)::date AS m,
                 date_trunc('quarter', r.opens_at AT TIME ZONE %(tz)s)::date AS qr
          FROM surveys_surveyinvitation i JOIN surveys_surveyround r ON r.id = i.round_id
          WHERE r.organization_id = %(org)s AND r.status = 'closed') x
    GROUP BY GROUPING SETS ((w), (w, team_id), (w, function_id), (m), (m, team_id), (m, function_id),
                            (qr), (qr, team_id), (qr, function_id))
),
customer AS (
    SELECT CASE WHEN GROUPING(w) = 0 THEN 'week' WHEN GROUPING(m) = 0 THEN 'month' ELSE 'quarter' END AS granularity,
           COALESCE(w, m, qr) AS period_start,
           CASE WHEN GROUPING(team_id) = 0 THEN 'team' WHEN GROUPING(account_id) = 0 THEN 'account' ELSE 'org' END
               AS scope_type,
           CASE WHEN GROUPING(team_id) = 0 THEN team_id WHEN GROUPING(account_id) = 0 THEN account_id
                ELSE %(org)s END AS scope_id,
           kind,
           COUNT(*) AS responses,
           COUNT(*) FILTER (WHERE score >= 9) AS promoters,
           COUNT(*) FILTER (WHERE score <= 6) AS detractors,
           COUNT(*) FILTER (WHERE score >= 4) AS top_two
    FROM (SELECT team_id, account_id, kind, score,
                 date_trunc('week', received_at AT TIME ZONE %(tz)s)::date AS w,
                 date_trunc('month', received_at AT TIME ZONE %(tz)s)::date AS m,
                 date_trunc('quarter', received_at AT TIME ZONE %(tz)s)::date AS qr
          FROM surveys_npsfeedback WHERE organization_id = %(org)s) x
    GROUP BY GROUPING SETS ((w, kind), (w, kind, team_id), (w, kind, account_id),
                            (m, kind), (m, kind, team_id), (m, kind, account_id),
                            (qr, kind), (qr, kind, team_id), (qr, kind, account_id))
),
handoffs AS (
    SELECT h.*, h.created_at AT TIME ZONE %(tz)s AS local,
           h.accepted_at IS NOT NULL AND h.accepted_at <= h.created_at + h.sla_hours * interval '1 hour' AS within_sla,
           h.sender_team_id IS NOT NULL AND h.receiving_team_id IS NOT NULL
               AND h.sender_team_id <> h.receiving_team_id AS crossing
    FROM teams_handoff h WHERE h.organization_id = %(org)s
),
received AS (
    SELECT CASE WHEN GROUPING(w) = 0 THEN 'week' WHEN GROUPING(m) = 0 THEN 'month' ELSE 'quarter' END AS granularity,
           COALESCE(w, m, qr) AS period_start,
           CASE WHEN GROUPING(receiving_team_id) = 0 THEN 'team' ELSE 'org' END AS scope_type,
           CASE WHEN GROUPING(receiving_team_id) = 0 THEN receiving_team_id ELSE %(org)s END AS scope_id,
           COUNT(*) AS handoffs,
           COUNT(*) FILTER (WHERE within_sla) AS within_sla,
           COUNT(*) FILTER (WHERE accepted_at IS NOT NULL AND status = 'completed') AS completed,
           COUNT(*) FILTER (WHERE accepted_at IS NOT NULL AND status = 'returned') AS returned
    FROM (SELECT *, date_trunc('week', local)::date AS w, date_trunc('month', local)::date AS m,
                 date_trunc('quarter', local)::date AS qr FROM handoffs) x
    GROUP BY GROUPING SETS ((w), (w, receiving_team_id), (m), (m, receiving_team_id), (qr), (qr, receiving_team_id))
),
-- Breadth's items: each handoff once for the organisation and once for each of its
-- (one or two) teams, and each win once for the organisation and its team.
items AS (
    SELECT NULL::bigint AS team_id, local, crossing FROM handoffs
    UNION ALL
    SELECT t.team_id, h.local, h.crossing FROM handoffs h
    CROSS JOIN LATERAL (SELECT DISTINCT v.team_id FROM (VALUES (h.sender_team_id), (h.receiving_team_id)) v(team_id)
                        WHERE v.team_id IS NOT NULL) t
    UNION ALL
    SELECT t.team_id, x.local, x.crossing
    FROM (SELECT w.team_id, w.created_at AT TIME ZONE %(tz)s AS local,
                 EXISTS (SELECT 1 FROM teams_win_collaborators c WHERE c.win_id = w.id AND NOT EXISTS (
                     SELECT 1 FROM teams_teammembership tm
                     WHERE tm.team_id = w.team_id AND tm.membership_id = c.membership_id)) AS crossing
          FROM teams_win w WHERE w.organization_id = %(org)s) x
    CROSS JOIN LATERAL (VALUES (NULL::bigint), (x.team_id)) t(team_id)
),
breadth AS (
    SELECT CASE WHEN GROUPING(w) = 0 THEN 'week' WHEN GROUPING(m) = 0 THEN 'month' ELSE 'quarter' END AS granularity,
           COALESCE(w, m, qr) AS period_start,
           CASE WHEN team_id IS NULL THEN 'org' ELSE 'team' END AS scope_type,
           COALESCE(team_id, %(org)s) AS scope_id,
           COUNT(*) AS items, COUNT(*) FILTER (WHERE crossing) AS crossing
    FROM (SELECT *, date_trunc('week', local)::date AS w, date_trunc('month', local)::date AS m,
                 date_trunc('quarter', local)::date AS qr FROM items) x
    GROUP BY GROUPING SETS ((w, team_id), (m, team_id), (qr, team_id))
),
turnaround AS (
    SELECT CASE WHEN GROUPING(w) = 0 THEN 'week' WHEN GROUPING(m) = 0 THEN 'month' ELSE 'quarter' END AS granularity,
           COALESCE(w, m, qr) AS period_start,
           CASE WHEN GROUPING(team_id) = 0 THEN 'team' WHEN GROUPING(account_id) = 0 THEN 'account' ELSE 'org' END
               AS scope_type,
           CASE WHEN GROUPING(team_id) = 0 THEN team_id WHEN GROUPING(account_id) = 0 THEN account_id
                ELSE %(org)s END AS scope_id,
           COUNT(response) AS responded, COUNT(resolution) AS resolved,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY response) AS response_median,
           percentile_disc(0.9) WITHIN GROUP (ORDER BY response) AS response_p90,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY resolution) AS resolution_median,
           percentile_disc(0.9) WITHIN GROUP (ORDER BY resolution) AS resolution_p90
    FROM (SELECT f.team_id, f.account_id,
                 EXTRACT(EPOCH FROM f.first_response_at - f.created_at)::float8 / 3600.0 AS response,
                 EXTRACT(EPOCH FROM f.resolved_at - f.created_at)::float8 / 3600.0 AS resolution,
                 date_trunc('week', f.created_at AT TIME ZONE %(tz)s)::date AS w,
                 date_trunc('month', f.created_at AT TIME ZONE %(tz)s)::date AS m,
                 date_trunc('quarter', f.created_at AT TIME ZONE %(tz)s)::date AS qr
          FROM customers_followup f JOIN customers_customeraccount a ON a.id = f.account_id
          WHERE a.organization_id = %(org)s) x
    GROUP BY GROUPING SETS ((w, team_id), (w, account_id), (w), (m, team_id), (m, account_id), (m),
                            (qr, team_id), (qr, account_id), (qr))
),
-- Collaboration's parts, as the engine takes them: the survey's collaboration driver
-- when it would be shown (here: at least the threshold of respondents, in the group
-- and in the organisation; the complement rule is not applied), and the work parts.
collaboration_survey AS (
    SELECT *, MAX(respondents) FILTER (WHERE scope_type = 'org') OVER (PARTITION BY granularity, period_start)
                  AS org_respondents
    FROM pulse WHERE driver = 'collaboration' AND answers > 0
),
parts AS (
    SELECT scope_type, scope_id, granularity, period_start, %(w_survey)s::float8 AS weight,
           100.0 * favourable / answers AS value, respondents AS sample_size
    FROM collaboration_survey
    WHERE scope_type IN ('org', 'team') AND scope_id IS NOT NULL
      AND respondents >= %(threshold)s AND org_respondents >= %(threshold)s
    UNION ALL
    SELECT scope_type, scope_id, granularity, period_start, %(w_responsiveness)s::float8,
           100.0 * within_sla / handoffs, handoffs
    FROM received WHERE scope_id IS NOT NULL
    UNION ALL
    SELECT scope_type, scope_id, granularity, period_start, %(w_follow_through)s::float8,
           100.0 * completed / (completed + returned), completed + returned
    FROM received WHERE scope_id IS NOT NULL AND completed + returned > 0
    UNION ALL
    SELECT scope_type, scope_id, granularity, period_start, %(w_breadth)s::float8, 100.0 * crossing / items, items
    FROM breadth
)
SELECT scope_type, scope_id, CASE driver WHEN 'engagement' THEN 'engagement' ELSE 'favourable.' || driver END AS metric,
       granularity, period_start, 100.0 * favourable / answers AS value, respondents AS sample_size
FROM pulse WHERE driver <> '' AND answers > 0 AND scope_id IS NOT NULL
UNION ALL
SELECT scope_type, scope_id, 'enps', granularity, period_start, 100.0 * (promoters - detractors) / enps, enps
FROM pulse WHERE driver = '' AND enps > 0 AND scope_id IS NOT NULL
UNION ALL
SELECT scope_type, scope_id, 'correlation.' || driver, granularity, period_start, ROUND(r::numeric, 4), n
FROM correlation WHERE n >= 3 AND r IS NOT NULL AND scope_id IS NOT NULL
UNION ALL
SELECT scope_type, scope_id, 'response_rate', granularity, period_start, 100.0 * answered / invited, answered
FROM invited WHERE scope_id IS NOT NULL
UNION ALL
SELECT scope_type, scope_id, kind, granularity, period_start,
       CASE kind WHEN 'nps' THEN 100.0 * (promoters - detractors) / responses ELSE 100.0 * top_two / responses END,
       responses
FROM customer WHERE scope_id IS NOT NULL
UNION ALL
SELECT scope_type, scope_id, 'handoff_sla', granularity, period_start, 100.0 * within_sla / handoffs, handoffs
FROM received WHERE scope_id IS NOT NULL
UNION ALL
SELECT scope_type, scope_id, 'collaboration', granularity, period_start,
       SUM(weight * value) / SUM(weight), SUM(sample_size)
FROM parts WHERE weight > 0 GROUP BY scope_type, scope_id, granularity, period_start
UNION ALL
SELECT t.scope_type, t.scope_id, s.metric, t.granularity, t.period_start, s.value, s.sample_size
FROM turnaround t
CROSS JOIN LATERAL (VALUES ('follow_up.first_response.median', t.response_median, t.responded),
                           ('follow_up.first_response.p90', t.response_p90, t.responded),
                           ('follow_up.resolution.median', t.resolution_median, t.resolved),
                           ('follow_up.resolution.p90', t.resolution_p90, t.resolved)) s(metric, value, sample_size)
WHERE t.scope_id IS NOT NULL AND s.value IS NOT NULL
