{#- Every figure the annual monitoring report prints: for each plan, report year and key
    success measure, its own measure first and then its supporting measures, the home
    district's figure for the year with its interval, change, direction of travel, county
    rank and the trend its chart draws. The report formats these rows; it chooses nothing.

    The period a figure is for: the period the status was judged on (measure_status
    period_used) for the key success measure's own measure; for a measure the catalogue says
    refers to the last available result (reference_period last_available, such as EYFS,
    published a year behind), the latest period with a figure that ended by the end of the
    report year, labelled with its own year; otherwise the period labelled as the report
    year (a financial or academic year); otherwise the latest period that ended within the
    year (a calendar year, quarter, month or snapshot). Only periods starting by the end of
    the report year are candidates. A measure with no such figure is not printed.

    The trend is every complete figure of the same kind of period up to the one printed,
    oldest first. -#}
with

measure_status as (
    select * from {{ ref('measure_status') }}
),

key_success_measures as (
    select * from {{ ref('key_success_measures') }}
),

catalogue as (
    select * from {{ ref('measure_catalogue') }}
),

areas as (
    select * from {{ ref('areas') }}
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

county_districts as (
    select count(*) as districts_in_county
    from areas
    where is_kent_district
),

report_years as (
    select
        measure_status.plan,
        measure_status.ref,
        measure_status.report_year,
        measure_status.measure_id as own_measure_id,
        measure_status.period_used,
        make_date(left(measure_status.report_year, 4)::integer, 4, 1) as year_start,
        make_date(left(measure_status.report_year, 4)::integer + 1, 3, 31) as year_end,
        list_filter(
            list_prepend(
                measure_status.measure_id,
                list_transform(
                    string_split_regex(coalesce(key_success_measures.supporting_measure_ids, ''), '[;,|]'),
                    listed_id -> trim(listed_id)
                )
            ),
            listed_id -> coalesce(listed_id, '') != ''
        ) as listed_measure_ids
    from measure_status
    inner join key_success_measures
        on
            measure_status.plan = key_success_measures.plan
            and measure_status.ref = key_success_measures.ref
            and measure_status.report_year between key_success_measures.first_year and key_success_measures.last_year
),

listed_measures as (
    select
        plan,
        ref,
        report_year,
        own_measure_id,
        period_used,
        year_start,
        year_end,
        unnest(listed_measure_ids) as measure_id,
        generate_subscripts(listed_measure_ids, 1) as listed_position
    from report_years
),

-- A measure listed twice (own and supporting) is printed once, where it is first listed.
figures_wanted as (
    select
        *,
        case when measure_id = own_measure_id then period_used end as judged_on
    from listed_measures
    qualify row_number() over (
        partition by plan, ref, report_year, measure_id
        order by listed_position
    ) = 1
),

candidate_periods as (
    select
        figures_wanted.plan,
        figures_wanted.ref,
        figures_wanted.report_year,
        figures_wanted.measure_id,
        figures_wanted.listed_position,
        figures_wanted.year_end,
        measure_values.measure_value_key,
        measure_values.period_id,
        measure_values.period_type,
        measure_values.period_start::date as period_start,
        measure_values.period_end::date as period_end,
        case
            when measure_values.period_id = figures_wanted.judged_on then 1
            when catalogue.reference_period = 'last_available'
                then case
                    when measure_values.value is not null and measure_values.period_end <= figures_wanted.year_end
                        then 3
                end
            when measure_values.period_id = figures_wanted.report_year then 2
            when measure_values.period_end between figures_wanted.year_start and figures_wanted.year_end then 3
        end as period_choice
    from figures_wanted
    inner join measure_values
        on
            figures_wanted.measure_id = measure_values.measure_id
            and figures_wanted.year_end >= measure_values.period_start
    left join catalogue
        on figures_wanted.measure_id = catalogue.measure_id
),

-- The earliest matching period for the first two rules, the latest for the third.
chosen_periods as (
    select *
    from candidate_periods
    where period_choice is not null
    qualify row_number() over (
        partition by plan, ref, report_year, measure_id
        order by
            period_choice asc,
            case when period_choice = 3 then period_end end desc,
            case when period_choice = 3 then period_start end desc,
            period_end asc,
            period_start asc
    ) = 1
),

trend_points as (
    select
        chosen_periods.plan,
        chosen_periods.ref,
        chosen_periods.report_year,
        chosen_periods.measure_id,
        list(measure_values.period_id order by measure_values.period_end, measure_values.period_start)
            as trend_period_ids,
        list(measure_values.value order by measure_values.period_end, measure_values.period_start)
            as trend_values
    from chosen_periods
    inner join measure_values
        on
            chosen_periods.measure_id = measure_values.measure_id
            and chosen_periods.period_type = measure_values.period_type
            and chosen_periods.period_end >= measure_values.period_end
            and chosen_periods.year_end >= measure_values.period_start
    where coalesce(measure_values.is_complete, true)
    group by all
),

report_figures as (
    select
        chosen_periods.plan || '|' || chosen_periods.ref || '|' || chosen_periods.report_year
        || '|' || chosen_periods.measure_id as report_figure_key,
        chosen_periods.plan,
        chosen_periods.ref,
        chosen_periods.report_year,
        row_number() over (
            partition by chosen_periods.plan, chosen_periods.ref, chosen_periods.report_year
            order by chosen_periods.listed_position
        ) as figure_order,
        chosen_periods.measure_id,
        coalesce(catalogue.measure_name, measure_values.measure_name, measure_values.measure_id)
            as measure_name,
        measure_values.unit,
        catalogue.source_return,
        catalogue.definition,
        catalogue.figure_kind,
        catalogue.reference_period,
        catalogue.year_on_year,
        catalogue.disclosure_minimum,
        catalogue.statistical_method,
        chosen_periods.measure_value_key,
        measure_values.area_code,
        measure_values.area_name,
        chosen_periods.period_id,
        chosen_periods.period_type,
        chosen_periods.period_start,
        chosen_periods.period_end,
        measure_values.value,
        measure_values.value_note,
        measure_values.is_complete,
        measure_values.is_suppressed or measure_values.is_rate_not_calculated as is_withheld,
        measure_values.ci_method,
        measure_values.ci_95_lower,
        measure_values.ci_95_upper,
        measure_trends.previous_period_id,
        measure_trends.previous_value,
        measure_trends.absolute_change,
        measure_trends.percent_change,
        measure_trends.change_direction,
        measure_trends.significance_test,
        measure_trends.is_significant_95,
        measure_trends.direction_of_travel,
        measure_trends.not_comparable_reason,
        measure_benchmarks.rank_from_lowest,
        measure_benchmarks.rank_from_highest,
        coalesce(measure_benchmarks.tied_with, []::varchar[]) as tied_with,
        measure_benchmarks.districts_with_value,
        county_districts.districts_in_county,
        measure_benchmarks.kent_value,
        measure_benchmarks.england_value,
        coalesce(trend_points.trend_period_ids, []::varchar[]) as trend_period_ids,
        coalesce(trend_points.trend_values, []::double[]) as trend_values,
        measure_values.submission_ids
    from chosen_periods
    inner join measure_values
        on chosen_periods.measure_value_key = measure_values.measure_value_key
    cross join county_districts
    left join catalogue
        on chosen_periods.measure_id = catalogue.measure_id
    left join measure_trends
        on chosen_periods.measure_value_key = measure_trends.measure_value_key
    left join measure_benchmarks
        on chosen_periods.measure_value_key = measure_benchmarks.measure_value_key
    left join trend_points
        on
            chosen_periods.plan = trend_points.plan
            and chosen_periods.ref = trend_points.ref
            and chosen_periods.report_year = trend_points.report_year
            and chosen_periods.measure_id = trend_points.measure_id
)

select * from report_figures
