{#- The Community Plan 2022–32 reports by its four priorities (place, economy, people,
    environment), not by numbered key success measures: for each plan, priority, indicator
    mapped to it (plan_priorities) and report year of the plan, the home district's figure
    for the year, the baseline (the same measure in the last financial year before the plan
    began) and the change since, and what is missing.

    A year's figure is the period labelled as the year (a financial or academic year) or
    else the latest period ending within it, as in report_figures; the baseline is chosen
    the same way in the year before the plan. Report years run from the plan's first year
    (its name's first year: 2022 for community_plan_2022_32) to the last financial year
    holding any figure. A running total (year_on_year false) has no change since baseline.
    The change is raw: a change over several years is not tested, so the direction is said
    as better or worse by polarity, never as significant. -#}
with

plan_priorities as (
    select
        *,
        row_number() over () as listed_order
    from {{ ref('plan_priorities') }}
),

catalogue as (
    select * from {{ ref('measure_catalogue') }}
),

measure_values as (
    select * from {{ ref('measure_values') }}
    where area_code = {{ home_area('district') }}
),

plans as (
    select
        plan,
        regexp_extract(plan, '(\d{4})_\d{2}$', 1)::integer as first_start_year
    from plan_priorities
    group by plan
),

last_year as (
    select max(year(period_end - interval 3 month)) as last_start_year
    from measure_values
    where value is not null
),

report_years as (
    select
        plans.plan,
        plans.first_start_year,
        unnest(range(plans.first_start_year, last_year.last_start_year + 1)) as start_year
    from plans
    cross join last_year
),

years as (
    select
        plan,
        start_year,
        {{ financial_year('make_date(start_year, 4, 1)') }} as report_year,
        {{ financial_year('make_date(first_start_year - 1, 4, 1)') }} as baseline_year,
        make_date(start_year, 4, 1) as year_start,
        make_date(start_year + 1, 3, 31) as year_end,
        make_date(first_start_year - 1, 4, 1) as baseline_start,
        make_date(first_start_year, 3, 31) as baseline_end
    from report_years
),

indicators as (
    select
        plan_priorities.plan,
        plan_priorities.priority,
        plan_priorities.measure_id,
        plan_priorities.rationale,
        plan_priorities.listed_order,
        years.report_year,
        years.baseline_year,
        years.year_start,
        years.year_end,
        years.baseline_start,
        years.baseline_end
    from plan_priorities
    inner join years
        on plan_priorities.plan = years.plan
),

-- The report year and the baseline each want one figure: the period labelled as the year,
-- else the latest period ending in it. One rule, applied to both.
years_wanted as (
    select
        plan,
        priority,
        measure_id,
        report_year,
        'report' as wanted_for,
        report_year as wanted_year,
        year_start as wanted_start,
        year_end as wanted_end
    from indicators
    union all
    select
        plan,
        priority,
        measure_id,
        report_year,
        'baseline' as wanted_for,
        baseline_year as wanted_year,
        baseline_start as wanted_start,
        baseline_end as wanted_end
    from indicators
),

figures_wanted as (
    select
        years_wanted.plan,
        years_wanted.priority,
        years_wanted.measure_id,
        years_wanted.report_year,
        years_wanted.wanted_for,
        measure_values.measure_value_key,
        measure_values.period_id,
        measure_values.value,
        measure_values.value_note,
        measure_values.is_suppressed
    from years_wanted
    inner join measure_values
        on
            years_wanted.measure_id = measure_values.measure_id
            and (
                years_wanted.wanted_year = measure_values.period_id
                or years_wanted.wanted_start <= measure_values.period_end::date
                and years_wanted.wanted_end >= measure_values.period_end::date
            )
    qualify row_number() over (
        partition by
            years_wanted.plan,
            years_wanted.priority,
            years_wanted.measure_id,
            years_wanted.report_year,
            years_wanted.wanted_for
        order by measure_values.period_id = years_wanted.wanted_year desc, measure_values.period_end desc
    ) = 1
),

year_figures as (
    select * from figures_wanted
    where wanted_for = 'report'
),

baseline_figures as (
    select * from figures_wanted
    where wanted_for = 'baseline'
),

report_priority_indicators as (
    select
        indicators.plan || '|' || indicators.priority || '|' || indicators.measure_id
        || '|' || indicators.report_year as report_priority_indicator_key,
        indicators.plan,
        indicators.priority,
        indicators.listed_order,
        indicators.measure_id,
        catalogue.measure_name,
        catalogue.unit,
        catalogue.polarity,
        catalogue.figure_kind,
        catalogue.definition,
        indicators.rationale,
        indicators.report_year,
        year_figures.period_id,
        year_figures.value,
        year_figures.value_note,
        indicators.baseline_year,
        baseline_figures.period_id as baseline_period_id,
        baseline_figures.value as baseline_value,
        case
            when catalogue.year_on_year then year_figures.value - baseline_figures.value
        end as change_since_baseline,
        case
            when not catalogue.year_on_year or year_figures.value is null or baseline_figures.value is null
                then null
            when year_figures.value = baseline_figures.value then 'the same'
            when catalogue.polarity = 'no_judgement' and year_figures.value > baseline_figures.value then 'higher'
            when catalogue.polarity = 'no_judgement' then 'lower'
            when (catalogue.polarity = 'higher_is_better') = (year_figures.value > baseline_figures.value) then 'better'
            else 'worse'
        end as direction_since_baseline,
        case
            when year_figures.measure_value_key is null then 'no figure for ' || indicators.report_year
            when year_figures.is_suppressed then 'withheld for small numbers'
            when year_figures.value is null then 'no figure for ' || indicators.report_year
        end as missing_reason
    from indicators
    left join catalogue
        on indicators.measure_id = catalogue.measure_id
    left join year_figures
        on
            indicators.plan = year_figures.plan
            and indicators.priority = year_figures.priority
            and indicators.measure_id = year_figures.measure_id
            and indicators.report_year = year_figures.report_year
    left join baseline_figures
        on
            indicators.plan = baseline_figures.plan
            and indicators.priority = baseline_figures.priority
            and indicators.measure_id = baseline_figures.measure_id
            and indicators.report_year = baseline_figures.report_year
)

select * from report_priority_indicators
