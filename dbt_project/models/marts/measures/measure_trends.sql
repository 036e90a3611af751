{#- Year-on-year change for every measure, area and period: the same period a year earlier
    (previous financial, calendar or academic year, same quarter or month last year), the
    change, whether it is statistically significant, and the direction of travel judged by
    the measure's polarity. A pair that cannot be compared says why instead.

    What the catalogue says of the measure decides what is compared: a figure whose
    `year_on_year` is false (a running total since a scheme opened) is not compared with the
    year before at all. Significance tests (two-sided, at 95% and 99.8%): counts by the exact
    conditional Poisson test, rates by the same test with the denominators as exposures,
    proportions of people by the two-proportion z-test where both years have at least 5
    in each outcome (below that the normal approximation does not hold and no
    test is run). Where no test applies (statistical_method none: proportions of a plan's
    actions, ratios of tonnages, amounts; a missing denominator; too few for the z-test)
    the change is `not tested`: the report gives its direction but does not call it
    improving or worsening. Calls Python functions
    registered on dbt's connection, so this model must stay a table. -#}
with

measure_values as (
    select * from {{ ref('measure_values') }}
),

definition_changes as (
    select * from {{ ref('measure_definition_changes') }}
),

catalogue as (
    select * from {{ ref('measure_catalogue') }}
),

paired as (
    select
        this_period.measure_value_key,
        this_period.measure_id,
        this_period.measure_name,
        this_period.area_code,
        this_period.area_name,
        this_period.period_id,
        this_period.period_type,
        this_period.period_start,
        this_period.period_end,
        case this_period.period_type
            when 'financial_year' then 'previous financial year'
            when 'calendar_year' then 'previous calendar year'
            when 'academic_year' then 'previous academic year'
            when 'quarter' then 'same quarter last year'
            when 'month' then 'same month last year'
            when 'snapshot' then 'same snapshot last year'
        end as comparison,
        previous_period.period_id as previous_period_id,
        previous_period.period_start as previous_period_start,
        this_period.unit,
        this_period.polarity,
        this_period.statistical_method,
        coalesce(catalogue.year_on_year, true) as is_year_on_year,
        this_period.value,
        previous_period.value as previous_value,
        this_period.numerator,
        previous_period.numerator as previous_numerator,
        this_period.denominator,
        previous_period.denominator as previous_denominator,
        this_period.is_complete,
        previous_period.is_complete as previous_is_complete,
        this_period.is_suppressed or this_period.is_rate_not_calculated as is_withheld,
        coalesce(
            previous_period.is_suppressed or previous_period.is_rate_not_calculated, false
        ) as previous_is_withheld,
        this_period.submission_ids,
        previous_period.submission_ids as previous_submission_ids
    from measure_values as this_period
    left join measure_values as previous_period
        on
            this_period.measure_id = previous_period.measure_id
            and this_period.area_code = previous_period.area_code
            and this_period.period_type = previous_period.period_type
            and date_trunc('month', previous_period.period_start)
            = date_trunc('month', this_period.period_start - interval 1 year)
    left join catalogue
        on this_period.measure_id = catalogue.measure_id
),

-- A change of definition that took effect after the earlier period began and before the
-- later one ended makes the two incomparable.
redefined as (
    select
        paired.measure_value_key,
        string_agg(definition_changes.change, '; ' order by definition_changes.changed_from)
            as definition_change
    from paired
    inner join definition_changes
        on
            paired.measure_id = definition_changes.measure_id
            and paired.previous_period_start < definition_changes.changed_from
            and paired.period_end >= definition_changes.changed_from
    group by paired.measure_value_key
),

compared as (
    select
        paired.*,
        redefined.definition_change,
        case
            when paired.value is not null and not paired.is_year_on_year
                then 'a running total, not compared year on year'
            when paired.is_withheld or paired.previous_is_withheld then 'value suppressed'
            when paired.value is null then 'no value'
            when paired.previous_value is null then 'no previous value'
            when redefined.definition_change is not null then 'definition changed'
            when not paired.is_complete or not paired.previous_is_complete then 'incomplete period'
        end as not_comparable_reason,
        paired.value - paired.previous_value as absolute_change,
        100 * (paired.value - paired.previous_value) / nullif(paired.previous_value, 0)
            as percent_change,
        case
            when paired.value > paired.previous_value then 'increase'
            when paired.value < paired.previous_value then 'decrease'
            when paired.value = paired.previous_value then 'no change'
        end as change_direction,
        case
            when paired.statistical_method = 'poisson_count'
                then 'Poisson conditional exact test'
            when
                paired.statistical_method = 'rate'
                and paired.denominator is not null
                and paired.previous_denominator is not null
                then 'Poisson conditional exact test, denominators as exposures'
            when
                paired.statistical_method = 'proportion'
                and paired.denominator is not null
                and paired.previous_denominator is not null
                and least(
                    paired.numerator, paired.denominator - paired.numerator,
                    paired.previous_numerator, paired.previous_denominator - paired.previous_numerator
                ) >= 5
                then 'two-proportion z-test'
            when paired.statistical_method = 'proportion' and paired.denominator is not null
                then 'none: too few for the z-test'
            else 'none: raw change'
        end as significance_test
    from paired
    left join redefined
        on paired.measure_value_key = redefined.measure_value_key
),

tested as (
    select
        *,
        case
            when not_comparable_reason is not null then null
            when significance_test = 'Poisson conditional exact test'
                then poisson_change_significant(numerator, previous_numerator, 0.95)
            when significance_test = 'Poisson conditional exact test, denominators as exposures'
                then rate_change_significant(
                    numerator, previous_numerator, denominator, previous_denominator, 0.95
                )
            when significance_test = 'two-proportion z-test'
                then proportion_change_significant(
                    numerator, denominator, previous_numerator, previous_denominator, 0.95
                )
        end as is_significant_95
    from compared
),

tested_strictly as (
    select
        *,
        case
            -- Not significant at 95% cannot be significant at 99.8%: test only what is.
            when is_significant_95 is null then null
            when not is_significant_95 then false
            when significance_test = 'Poisson conditional exact test'
                then poisson_change_significant(numerator, previous_numerator, 0.998)
            when significance_test = 'Poisson conditional exact test, denominators as exposures'
                then rate_change_significant(
                    numerator, previous_numerator, denominator, previous_denominator, 0.998
                )
            when significance_test = 'two-proportion z-test'
                then proportion_change_significant(
                    numerator, denominator, previous_numerator, previous_denominator, 0.998
                )
        end as is_significant_99_8
    from tested
),

judged as (
    select
        *,
        case
            when not_comparable_reason is not null then 'not comparable'
            when change_direction = 'no change' then 'no significant change'
            when is_significant_95 is null then 'not tested'
            when not is_significant_95 then 'no significant change'
            when polarity = 'higher_is_better' and change_direction = 'increase' then 'improving'
            when polarity = 'higher_is_better' and change_direction = 'decrease' then 'worsening'
            when polarity = 'lower_is_better' and change_direction = 'decrease' then 'improving'
            when polarity = 'lower_is_better' and change_direction = 'increase' then 'worsening'
            else 'no judgement'
        end as direction_of_travel
    from tested_strictly
),

measure_trends as (
    select
        measure_value_key,
        measure_id,
        measure_name,
        area_code,
        area_name,
        period_id,
        period_type,
        period_start,
        period_end,
        comparison,
        previous_period_id,
        unit,
        polarity,
        statistical_method,
        value,
        previous_value,
        numerator,
        previous_numerator,
        denominator,
        previous_denominator,
        absolute_change,
        percent_change,
        change_direction,
        significance_test,
        is_significant_95,
        is_significant_99_8,
        direction_of_travel,
        not_comparable_reason,
        definition_change,
        submission_ids,
        previous_submission_ids
    from judged
)

select * from measure_trends
