{#- Children's partnership measures. From KCC's NEET summary: % of 16 and 17 year olds
    (Yr12 and Yr13) NEET for each Kent district and Kent at every January snapshot, from the
    counts (KCC's printed % only where a count is suppressed). From the LCPG workbook: the
    EYFS good level of development by academic year for the home district, and England from the
    national column; the youth re-offending rate by quarter for the home district only (its
    benchmark group and England and Wales have no area code and stay in staging). -#}
with

neet as (
    select * from {{ ref('stg_children__neet_area_snapshots') }}
    where area_code is not null
),

indicators as (
    select * from {{ ref('stg_children__lcpg_indicator_values') }}
),

neet_measures as (
    select
        'neet_16_17_pct' as measure_id,
        area_code,
        snapshot as period_id,
        'snapshot' as period_type,
        snapshot_month_start as period_start,
        last_day(snapshot_month_start) as period_end,
        neet_yr12_yr13 as numerator,
        cohort_yr12_yr13::double as denominator,
        coalesce(
            100.0 * neet_yr12_yr13 / nullif(cohort_yr12_yr13, 0), neet_pct_yr12_yr13
        ) as value,
        'percent' as unit,
        [submission_id] as submission_ids,
        1 as parts_received,
        1 as parts_expected,
        value_note
    from neet
),

indicator_measures as (
    select
        *,
        case
            when indicator ilike '%good level of development%'
                then 'eyfs_good_level_of_development_pct'
            when indicator ilike '%re-offending%' or indicator ilike '%reoffending%'
                then 'youth_reoffending_rate'
        end as measure_id,
        left(period_label, 4)::integer as start_year
    from indicators
),

latest_indicators as (
    select * from indicator_measures
    where measure_id is not null
    qualify row_number() over (
        partition by measure_id, period_label
        order by submission_id desc
    ) = 1
),

indicator_periods as (
    select
        *,
        case
            when period_label like '% Q_' then 'quarter'
            when measure_id = 'eyfs_good_level_of_development_pct' then 'academic_year'
            else 'financial_year'
        end as period_type,
        case
            when period_label like '% Q_'
                then make_date(start_year, 4, 1) + to_months(3 * (right(period_label, 1)::integer - 1))
            when measure_id = 'eyfs_good_level_of_development_pct'
                then make_date(start_year, 9, 1)
            else make_date(start_year, 4, 1)
        end::date as period_start
    from latest_indicators
),

indicator_bounds as (
    select
        *,
        case
            when period_type = 'quarter' then (period_start + to_months(3))::date - 1
            else (period_start + to_months(12))::date - 1
        end::date as period_end,
        'percent' as unit
    from indicator_periods
),

home_district_indicators as (
    select
        measure_id,
        {{ home_area('district') }} as area_code,
        period_label as period_id,
        period_type,
        period_start,
        period_end,
        numerator,
        denominator,
        coalesce(100.0 * numerator / nullif(denominator, 0), value) as value,
        unit,
        [submission_id] as submission_ids,
        1 as parts_received,
        1 as parts_expected,
        value_note
    from indicator_bounds
),

england_indicators as (
    select
        measure_id,
        {{ home_area('country') }} as area_code,
        period_label as period_id,
        period_type,
        period_start,
        period_end,
        null::double as numerator,
        null::double as denominator,
        national_value as value,
        unit,
        [submission_id] as submission_ids,
        1 as parts_received,
        1 as parts_expected,
        null::varchar as value_note
    from indicator_bounds
    where national_area = 'England' and national_value is not null
),

unioned as (
    select * from neet_measures
    union all by name
    select * from home_district_indicators
    union all by name
    select * from england_indicators
)

select * from unioned
