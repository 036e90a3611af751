{#- One long table of every measure, area and period, whatever partner it came from, with the
    confidence intervals Fingertips would print beside it and small numbers withheld.

    Each measure's disclosure rule is its catalogue `disclosure_minimum`: a figure whose count
    (the count itself, or a rate's or proportion's numerator) is below it is withheld: value,
    count and intervals are null and the note says why. Measures with no minimum (counts of
    homes, actions or tonnes, amounts) are published whatever their size. Rates from fewer than `rate_minimum_count`
    events (default 10) are not calculated, as PHE's methods advise. Unsuppressed figures stay
    in the intermediate contribution models, which are not published. Wilson and Byar's
    intervals are SQL (macros/statistics.sql); exact Poisson limits for counts below 10 are
    Python functions registered on dbt's connection, so this model must stay a table. -#}
with

contributions as (
    {{ union_measure_contributions() }}
),

catalogue as (
    select * from {{ ref('measure_catalogue') }}
),

areas as (
    select * from {{ ref('areas') }}
),

described as (
    select
        contributions.*,
        catalogue.measure_name,
        catalogue.polarity,
        catalogue.statistical_method,
        catalogue.figure_kind,
        catalogue.disclosure_minimum,
        areas.area_name,
        case
            when catalogue.statistical_method = 'poisson_count'
                then coalesce(contributions.numerator, contributions.value)
            when catalogue.statistical_method in ('proportion', 'rate')
                then contributions.numerator
        end as event_count
    from contributions
    left join catalogue
        on contributions.measure_id = catalogue.measure_id
    left join areas
        on contributions.area_code = areas.area_code
),

withheld as (
    select
        *,
        coalesce(event_count < disclosure_minimum, false) as is_suppressed,
        coalesce(
            statistical_method = 'rate'
            and event_count >= coalesce(disclosure_minimum, 0)
            and event_count < {{ var('rate_minimum_count', 10) }},
            false
        ) as is_rate_not_calculated
    from described
),

with_intervals as (
    select
        *,
        case
            when is_suppressed or is_rate_not_calculated then null
            when value is null or event_count is null then null
            when statistical_method = 'proportion' and denominator is not null then 'Wilson score'
            when statistical_method = 'rate' and denominator is null then null
            -- pipelines.statistics.EXACT_BELOW: exact limits below 10, as PHE's methods.
            when statistical_method in ('poisson_count', 'rate') and event_count < 10
                then 'exact Poisson'
            when statistical_method in ('poisson_count', 'rate') then 'Byar''s'
        end as ci_method,
        case when unit = 'percent' then 100 else 1 end as proportion_multiplier,
        -- A rate's limits are its count's limits scaled as the value was (value / count; the
        -- count is at least rate_minimum_count here); a count's limits are its own.
        case when statistical_method = 'rate' then value / event_count else 1 end as interval_scale
    from withheld
),

measure_values as (
    select
        measure_id || '|' || area_code || '|' || period_id as measure_value_key,
        measure_id,
        measure_name,
        area_code,
        area_name,
        period_id,
        period_type,
        period_start,
        period_end,
        case when not is_suppressed then numerator end as numerator,
        denominator,
        case when not is_suppressed and not is_rate_not_calculated then value end as value,
        unit,
        parts_received,
        parts_expected,
        parts_received >= parts_expected as is_complete,
        nullif(
            concat_ws(
                '; ',
                value_note,
                case
                    when is_suppressed
                        then 'Value suppressed: based on a count below ' || disclosure_minimum
                end,
                case
                    when is_rate_not_calculated
                        then 'Rate not calculated: based on a count below {{ var("rate_minimum_count", 10) }}'
                end
            ),
            ''
        ) as value_note,
        submission_ids,
        polarity,
        statistical_method,
        figure_kind,
        disclosure_minimum,
        is_suppressed,
        is_rate_not_calculated,
        ci_method,
        case
            when ci_method = 'Wilson score'
                then {{ wilson_limit('lower', 'numerator', 'denominator', 0.95, 'proportion_multiplier') }}
            when ci_method = 'Byar''s'
                then {{ byars_limit('lower', 'event_count', 0.95) }} * interval_scale
            when ci_method is not null then ci_count_lower(event_count, 0.95) * interval_scale
        end as ci_95_lower,
        case
            when ci_method = 'Wilson score'
                then {{ wilson_limit('upper', 'numerator', 'denominator', 0.95, 'proportion_multiplier') }}
            when ci_method = 'Byar''s'
                then {{ byars_limit('upper', 'event_count', 0.95) }} * interval_scale
            when ci_method is not null then ci_count_upper(event_count, 0.95) * interval_scale
        end as ci_95_upper,
        case
            when ci_method = 'Wilson score'
                then {{ wilson_limit('lower', 'numerator', 'denominator', 0.998, 'proportion_multiplier') }}
            when ci_method = 'Byar''s'
                then {{ byars_limit('lower', 'event_count', 0.998) }} * interval_scale
            when ci_method is not null then ci_count_lower(event_count, 0.998) * interval_scale
        end as ci_99_8_lower,
        case
            when ci_method = 'Wilson score'
                then {{ wilson_limit('upper', 'numerator', 'denominator', 0.998, 'proportion_multiplier') }}
            when ci_method = 'Byar''s'
                then {{ byars_limit('upper', 'event_count', 0.998) }} * interval_scale
            when ci_method is not null then ci_count_upper(event_count, 0.998) * interval_scale
        end as ci_99_8_upper
    from with_intervals
)

select * from measure_values
