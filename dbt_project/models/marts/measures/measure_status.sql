{#- The status the monitoring report prints for each key success measure and report year,
    the rule that gave it, and the evidence behind it.

    Rules, in order:
    (a) the measure's source return is due for the period used and was not received (or was
        quarantined) per returns_calendar: Information not received;
    (b) a quantitative rule can be computed: threshold (value against target), rank in county
        (the home area's place among the Kent districts, counted from the best) or direction
        (value against the previous comparable period, raw as the reports judge it);
    (c) otherwise the lead partner's status from the status return;
    (d) neither a value nor a partner's status: Information not received.

    Period used for report year Y: the measure's period ending latest within the financial
    year Y, a financial-year row first (so a calendar year is judged in the financial year it
    starts in: 2019 for 2019/20). When the warehouse holds no figure, the period the returns
    calendar expected in that year is used, so that a missing return is reported as such.
    The home district is the `home_area` var's district. -#}
with

-- The seed lists each plan's measures in the order its reports print them; a streaming
-- row_number() over the seed keeps that order.
key_success_measures as (
    select
        *,
        row_number() over () as listed_order
    from {{ ref('key_success_measures') }}
),

catalogue as (
    select * from {{ ref('measure_catalogue') }}
),

measure_values as (
    select * from {{ ref('measure_values') }}
    where area_code = {{ home_area('district') }}
),

measure_trends as (
    select * from {{ ref('measure_trends') }}
    where area_code = {{ home_area('district') }}
),

measure_benchmarks as (
    select * from {{ ref('measure_benchmarks') }}
    where area_code = {{ home_area('district') }}
),

partner_statuses as (
    select * from {{ ref('int_key_success_measure_statuses') }}
),

returns_calendar as (
    select * from {{ ref('returns_calendar') }}
),

start_years as (
    select
        *,
        unnest(
            range(
                left(first_year::varchar, 4)::integer,
                left(last_year::varchar, 4)::integer + 1
            )
        ) as start_year
    from key_success_measures
),

report_years as (
    select
        start_years.*,
        {{ financial_year('make_date(start_years.start_year, 4, 1)') }} as report_year,
        make_date(start_years.start_year, 4, 1) as year_start,
        make_date(start_years.start_year + 1, 3, 31) as year_end,
        catalogue.source_return,
        catalogue.polarity
    from start_years
    left join catalogue
        on start_years.measure_id = catalogue.measure_id
),

value_periods as (
    select
        report_years.plan,
        report_years.ref,
        report_years.report_year,
        measure_values.measure_value_key,
        measure_values.period_id,
        measure_values.period_type,
        measure_values.period_start,
        measure_values.period_end
    from report_years
    inner join measure_values
        on
            report_years.measure_id = measure_values.measure_id
            and measure_values.period_end between report_years.year_start and report_years.year_end
),

expected_periods as (
    select
        report_years.plan,
        report_years.ref,
        report_years.report_year,
        null as measure_value_key,
        returns_calendar.period_id,
        returns_calendar.period_type,
        returns_calendar.period_start,
        returns_calendar.period_end
    from report_years
    inner join returns_calendar
        on
            report_years.source_return = returns_calendar.return_name
            and returns_calendar.period_end between report_years.year_start and report_years.year_end
),

candidate_periods as (
    select * from value_periods
    union all
    select * from expected_periods
),

periods_used as (
    select *
    from candidate_periods
    qualify row_number() over (
        partition by plan, ref, report_year
        order by
            period_type = 'financial_year' desc,
            period_end desc,
            period_start asc,
            measure_value_key is not null desc
    ) = 1
),

-- The parts of the period used that the partner owed and did not send (or sent unreadable).
periods_not_received as (
    select
        periods_used.plan,
        periods_used.ref,
        periods_used.report_year,
        string_agg(
            returns_calendar.period_id || ' ' || replace(returns_calendar.submission_status, '_', ' '),
            ', '
            order by returns_calendar.period_start
        ) as periods_not_received
    from periods_used
    inner join report_years
        on
            periods_used.plan = report_years.plan
            and periods_used.ref = report_years.ref
            and periods_used.report_year = report_years.report_year
    inner join returns_calendar
        on
            report_years.source_return = returns_calendar.return_name
            and periods_used.period_start <= returns_calendar.period_start
            and periods_used.period_end >= returns_calendar.period_end
    where returns_calendar.submission_status in ('overdue', 'quarantined')
    group by periods_used.plan, periods_used.ref, periods_used.report_year
),

evidence as (
    select
        report_years.plan,
        report_years.ref,
        report_years.display_ref,
        report_years.listed_order,
        report_years.theme,
        report_years.key_success_measure,
        report_years.lead_partner,
        report_years.report_year,
        report_years.measure_id,
        report_years.source_return,
        report_years.polarity,
        report_years.target_type,
        report_years.target_comparator,
        report_years.target_value,
        report_years.target_text,
        periods_used.period_id,
        periods_used.period_type,
        measure_values.value,
        measure_values.unit,
        measure_values.value_note,
        measure_trends.previous_period_id,
        measure_trends.previous_value,
        measure_trends.not_comparable_reason,
        measure_benchmarks.rank_from_best,
        measure_benchmarks.rank_from_lowest,
        measure_benchmarks.rank_from_highest,
        measure_benchmarks.districts_with_value,
        periods_not_received.periods_not_received,
        partner_statuses.status as partner_status,
        partner_statuses.commentary,
        partner_statuses.submission_id as status_submission_id,
        measure_values.submission_ids as value_submission_ids,
        measure_trends.previous_submission_ids
    from report_years
    left join periods_used
        on
            report_years.plan = periods_used.plan
            and report_years.ref = periods_used.ref
            and report_years.report_year = periods_used.report_year
    left join measure_values
        on periods_used.measure_value_key = measure_values.measure_value_key
    left join measure_trends
        on periods_used.measure_value_key = measure_trends.measure_value_key
    left join measure_benchmarks
        on periods_used.measure_value_key = measure_benchmarks.measure_value_key
    left join periods_not_received
        on
            report_years.plan = periods_not_received.plan
            and report_years.ref = periods_not_received.ref
            and report_years.report_year = periods_not_received.report_year
    left join partner_statuses
        on
            report_years.plan = partner_statuses.plan
            and report_years.ref = partner_statuses.ref
            and report_years.report_year = partner_statuses.financial_year
),

-- Whether the target was met, where a quantitative rule can be computed (null otherwise).
judged as (
    select
        *,
        case
            when value is null then null
            when target_type = 'threshold' and target_comparator = '>=' then value >= target_value
            when target_type = 'threshold' and target_comparator = '<=' then value <= target_value
            when target_type = 'rank_in_county' and target_comparator = '<='
                then rank_from_best <= target_value
            when target_type = 'rank_in_county' and target_comparator = '>='
                then rank_from_best >= target_value
            when target_type != 'direction' then null
            when previous_value is null or not_comparable_reason = 'definition changed' then null
            when target_comparator = '<=' then value <= previous_value
            when target_comparator = '>=' then value >= previous_value
            when polarity = 'lower_is_better' then value < previous_value
            when polarity = 'higher_is_better' then value > previous_value
        end as is_target_met
    from evidence
),

measure_status as (
    select
        plan || '|' || ref || '|' || report_year as measure_status_key,
        plan,
        ref,
        display_ref,
        listed_order,
        theme,
        key_success_measure,
        lead_partner,
        report_year,
        case
            when periods_not_received is not null then 'Information not received'
            when is_target_met then 'Achieved'
            when not is_target_met then 'Not achieved'
            when partner_status is not null then partner_status
            else 'Information not received'
        end as status,
        case
            when periods_not_received is not null then 'return not received'
            when is_target_met is not null then replace(target_type, '_', ' ')
            when partner_status is not null then 'partner qualitative status'
            else 'return not received'
        end as status_rule,
        target_type,
        target_comparator,
        target_value,
        target_text,
        measure_id,
        source_return,
        period_id as period_used,
        period_type,
        value,
        unit,
        value_note,
        previous_period_id,
        previous_value,
        rank_from_best,
        rank_from_lowest,
        rank_from_highest,
        districts_with_value,
        periods_not_received,
        partner_status,
        commentary,
        status_submission_id,
        list_sort(
            list_distinct(
                flatten([
                    coalesce(value_submission_ids, []),
                    coalesce(previous_submission_ids, []),
                    case when status_submission_id is not null then [status_submission_id] else [] end,
                ])
            )
        ) as submission_ids
    from judged
)

select * from measure_status
