{#- Which partner owes which return for which period, by when, and whether it came: one row
    per return schedule (return and partner) and period, from the return_schedules seed and
    the calendar.

    A period is received when a current accepted submission covers it. How that is decided
    is the schedule's `coverage`:
    - `ledger_period`: the ledger holds an accepted submission whose period is the period
      (a file per period: a police month, a KSI calendar year, a waste quarter). A return
      sent by several partners (partner_slug given) labels its ledger periods
      `<period> <partner_slug>`, so that one partner's file never supersedes another's.
    - `file_path`: the path of a current accepted file names the period, read with the
      schedule's file_path_pattern and file_path_period (a January NEET snapshot is the
      calendar year its file name gives; its ledger period is `Jan 2020`).
    - `staging_periods`: measure_values holds a figure for the period, computed from a
      current submission of the return (a file covering several periods, such as a national
      table republished with revised years, or a ledger label that is not the council's
      period, such as H-CLIC's "April to June 2019").
    A period not received is `quarantined` when a quarantined file's path names it (the
    schedule's file_path_pattern and file_path_period), otherwise `overdue` once its due date
    (period end plus due_days_after_period_end) is before the as-of date, else `not_yet_due`.
    The as-of date is the dbt var as_of_date (YYYY-MM-DD), today when not set. -#}
{%- set as_of_date = var('as_of_date', none) -%}
with

schedules as (
    select * from {{ ref('return_schedules') }}
),

calendar as (
    select * from {{ ref('calendar') }}
),

submissions as (
    select * from {{ ref('stg_ledger__submissions') }}
),

measure_values as (
    select * from {{ ref('measure_values') }}
),

catalogue as (
    select * from {{ ref('measure_catalogue') }}
),

as_of as (
    select
        {% if as_of_date %}date '{{ as_of_date }}'{% else %}current_date{% endif %} as as_of_date
),

schedule_bounds as (
    select
        schedules.*,
        first_periods.period_start as first_period_start,
        last_periods.period_start as last_period_start
    from schedules
    inner join calendar as first_periods
        on
            schedules.period_type = first_periods.period_type
            and schedules.first_period = first_periods.period_id
    inner join calendar as last_periods
        on
            schedules.period_type = last_periods.period_type
            and schedules.last_period = last_periods.period_id
),

schedule_periods as (
    select
        schedule_bounds.return_name,
        schedule_bounds.partner,
        schedule_bounds.partner_slug,
        schedule_bounds.cadence,
        schedule_bounds.coverage,
        schedule_bounds.file_path_pattern,
        calendar.period_id,
        calendar.period_type,
        calendar.period_start,
        calendar.period_end,
        calendar.period_end + schedule_bounds.due_days_after_period_end as due_date,
        case
            when schedule_bounds.partner_slug is null then calendar.period_id
            else calendar.period_id || ' ' || schedule_bounds.partner_slug
        end as ledger_period
    from schedule_bounds
    inner join calendar
        on
            schedule_bounds.period_type = calendar.period_type
            and calendar.period_start
            between schedule_bounds.first_period_start and schedule_bounds.last_period_start
),

ledger_periods_received as (
    select
        return_name,
        period as ledger_period,
        max(submission_id) as submission_id,
        max(received_at) as received_at
    from submissions
    where is_current
    group by return_name, period
),

staging_periods_received as (
    select
        catalogue.source_return as return_name,
        measure_values.period_type,
        measure_values.period_id,
        max(list_max(measure_values.submission_ids)) as submission_id
    from measure_values
    inner join catalogue
        on measure_values.measure_id = catalogue.measure_id
    where len(measure_values.submission_ids) > 0
    group by catalogue.source_return, measure_values.period_type, measure_values.period_id
),

files_by_period as (
    select
        schedules.return_name,
        schedules.partner,
        schedules.period_type,
        regexp_replace(
            submissions.file_path, schedules.file_path_pattern, schedules.file_path_period
        ) as period_id,
        submissions.submission_id,
        submissions.status,
        submissions.is_current,
        submissions.reason
    from submissions
    inner join schedules
        on
            submissions.return_name = schedules.return_name
            and regexp_full_match(submissions.file_path, schedules.file_path_pattern)
),

file_path_periods_received as (
    select
        return_name,
        partner,
        period_type,
        period_id,
        max(submission_id) as submission_id
    from files_by_period
    where is_current
    group by return_name, partner, period_type, period_id
),

quarantined_files as (
    select
        return_name,
        partner,
        period_type,
        period_id,
        max(submission_id) as submission_id,
        arg_max(reason, submission_id) as quarantine_reason
    from files_by_period
    where status = 'quarantined'
    group by return_name, partner, period_type, period_id
),

covered as (
    select
        schedule_periods.*,
        coalesce(
            ledger_periods_received.submission_id,
            file_path_periods_received.submission_id,
            staging_periods_received.submission_id
        ) as submission_id,
        quarantined_files.submission_id as quarantined_submission_id,
        quarantined_files.quarantine_reason
    from schedule_periods
    left join ledger_periods_received
        on
            schedule_periods.coverage = 'ledger_period'
            and schedule_periods.return_name = ledger_periods_received.return_name
            and schedule_periods.ledger_period = ledger_periods_received.ledger_period
    left join file_path_periods_received
        on
            schedule_periods.coverage = 'file_path'
            and schedule_periods.return_name = file_path_periods_received.return_name
            and schedule_periods.partner = file_path_periods_received.partner
            and schedule_periods.period_type = file_path_periods_received.period_type
            and schedule_periods.period_id = file_path_periods_received.period_id
    left join staging_periods_received
        on
            schedule_periods.coverage = 'staging_periods'
            and schedule_periods.return_name = staging_periods_received.return_name
            and schedule_periods.period_type = staging_periods_received.period_type
            and schedule_periods.period_id = staging_periods_received.period_id
    left join quarantined_files
        on
            schedule_periods.return_name = quarantined_files.return_name
            and schedule_periods.partner = quarantined_files.partner
            and schedule_periods.period_type = quarantined_files.period_type
            and schedule_periods.period_id = quarantined_files.period_id
),

returns_calendar as (
    select
        covered.return_name || '|' || covered.partner || '|' || covered.period_id as returns_calendar_key,
        covered.return_name,
        covered.partner,
        covered.partner_slug,
        covered.cadence,
        covered.period_id,
        covered.period_type,
        covered.period_start,
        covered.period_end,
        covered.due_date,
        as_of.as_of_date,
        case
            when covered.submission_id is not null then 'received'
            when covered.quarantined_submission_id is not null then 'quarantined'
            when covered.due_date < as_of.as_of_date then 'overdue'
            else 'not_yet_due'
        end as submission_status,
        covered.submission_id is not null as is_received,
        covered.coverage,
        coalesce(covered.submission_id, covered.quarantined_submission_id) as submission_id,
        submissions.received_at,
        case when covered.submission_id is null then covered.quarantine_reason end as quarantine_reason
    from covered
    cross join as_of
    left join submissions
        on covered.submission_id = submissions.submission_id
)

select * from returns_calendar
