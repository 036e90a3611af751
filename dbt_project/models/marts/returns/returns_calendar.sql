{#- Which partner owes which return for which period, by when, and whether it came: one row
    per return (and, for a return several partners send, per partner) and period, from the
    first period its ReturnSpec expects up to the period the as-of date falls in. The
    returns and their senders come from the ledger, which the ingestion writes from the
    specifications on every run.

    A period is received when a current accepted submission covers it. How that is decided
    is the return's `coverage`:
    - `file_period`: a current accepted file's name places it in the period (its ledger
      period_start); for a return several partners send, the file is in the partner's own
      folder, named by its slug.
    - `measure_values`: measure_values holds a figure for the period computed from a
      current submission of the return (a national table covering many periods, with
      earlier years revised in later releases).
    A partner sending a return several partners send (the key success measures' status)
    owes it only for the years in which it leads a key success measure of a plan
    (`key_success_measures` first_year to last_year): when a plan ends, so do its returns.
    A period not received is `quarantined` when a quarantined file's name places it in the
    period, otherwise `overdue` once its due date (period end plus the return's due days) is
    before the as-of date, else `not_yet_due`. -#}
with

returns as (
    select * from {{ ref('stg_ledger__returns') }}
),

senders as (
    select * from {{ ref('stg_ledger__return_senders') }}
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

key_success_measures as (
    select * from {{ ref('key_success_measures') }}
),

sender_years as (
    select distinct
        key_success_measures.lead_partner as partner,
        calendar.period_id
    from key_success_measures
    inner join calendar
        on
            calendar.period_type = 'financial_year'
            and calendar.period_id between key_success_measures.first_year
            and key_success_measures.last_year
),

as_of as (
    select {{ as_of_date() }} as as_of_date
),

schedules as (
    select
        returns.return_name,
        coalesce(senders.partner, returns.partner) as partner,
        senders.partner_slug,
        returns.cadence,
        returns.period_type,
        returns.first_period_start,
        returns.due_days_after_period_end,
        returns.coverage
    from returns
    left join senders
        on returns.return_name = senders.return_name
),

schedule_periods as (
    select
        schedules.return_name,
        schedules.partner,
        schedules.partner_slug,
        schedules.cadence,
        schedules.coverage,
        calendar.period_id,
        calendar.period_type,
        calendar.period_start,
        calendar.period_end,
        calendar.period_end + schedules.due_days_after_period_end as due_date
    from schedules
    inner join calendar
        on
            schedules.period_type = calendar.period_type
            and schedules.first_period_start <= calendar.period_start
    cross join as_of
    left join sender_years
        on
            schedules.partner = sender_years.partner
            and calendar.period_id = sender_years.period_id
    where
        calendar.period_start <= as_of.as_of_date
        and (schedules.partner_slug is null or sender_years.partner is not null)
),

files_by_period as (
    select
        schedule_periods.return_name,
        schedule_periods.partner,
        schedule_periods.period_id,
        submissions.submission_id,
        submissions.status,
        submissions.is_current,
        submissions.reason
    from schedule_periods
    inner join submissions
        on
            schedule_periods.return_name = submissions.return_name
            and schedule_periods.period_start = submissions.period_start
            and (
                schedule_periods.partner_slug is null
                or list_contains(string_split(submissions.file_path, '/'), schedule_periods.partner_slug)
            )
),

file_periods_received as (
    select
        return_name,
        partner,
        period_id,
        max(submission_id) as submission_id
    from files_by_period
    where is_current
    group by return_name, partner, period_id
),

quarantined_files as (
    select
        return_name,
        partner,
        period_id,
        max(submission_id) as submission_id,
        arg_max(reason, submission_id) as quarantine_reason
    from files_by_period
    where status = 'quarantined'
    group by return_name, partner, period_id
),

measure_periods_received as (
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

covered as (
    select
        schedule_periods.*,
        case schedule_periods.coverage
            when 'file_period' then file_periods_received.submission_id
            when 'measure_values' then measure_periods_received.submission_id
        end as submission_id,
        quarantined_files.submission_id as quarantined_submission_id,
        quarantined_files.quarantine_reason
    from schedule_periods
    left join file_periods_received
        on
            schedule_periods.return_name = file_periods_received.return_name
            and schedule_periods.partner = file_periods_received.partner
            and schedule_periods.period_id = file_periods_received.period_id
    left join measure_periods_received
        on
            schedule_periods.return_name = measure_periods_received.return_name
            and schedule_periods.period_type = measure_periods_received.period_type
            and schedule_periods.period_id = measure_periods_received.period_id
    left join quarantined_files
        on
            schedule_periods.return_name = quarantined_files.return_name
            and schedule_periods.partner = quarantined_files.partner
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
