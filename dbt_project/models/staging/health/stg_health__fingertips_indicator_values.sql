{#- Fingertips export rows, typed, with each time period placed as the council writes periods:
    `2019` a calendar year, `2019/20` a financial year, `2019/20 Q1` a quarter, and pooled
    ranges (`2016 - 18`, `2015/16 - 19/20`) snapshots keeping the range as written, dated
    from the first year's start to the last year's end. Anything else stays a snapshot with
    no dates. Fingertips writes academic years the same way as financial years (`2019/20`);
    indicators from school data are therefore dated April to March here. -#}
with

source as (
    select * from {{ source('health', 'fingertips_indicators') }}
),

classified as (
    select
        *,
        trim(time_period) as period_text,
        try_cast(left(trim(time_period), 4) as integer) as first_year,
        try_cast(right(trim(time_period), 2) as integer) as last_two_digits,
        case
            when regexp_full_match(trim(time_period), '\d{4}') then 'calendar_year'
            when regexp_full_match(trim(time_period), '\d{4}/\d{2}') then 'financial_year'
            when regexp_full_match(trim(time_period), '\d{4}/\d{2} Q[1-4]') then 'quarter'
            when regexp_full_match(trim(time_period), '\d{4} - \d{2}') then 'calendar_year_range'
            when regexp_full_match(trim(time_period), '\d{4}/\d{2} - \d{2}/\d{2}') then 'financial_year_range'
            else 'other'
        end as period_form
    from source
),

range_ends as (
    select
        *,
        first_year - first_year % 100 + last_two_digits
        + case when first_year % 100 > last_two_digits then 100 else 0 end as last_year
    from classified
),

dated as (
    select
        *,
        case period_form
            when 'calendar_year' then make_date(first_year, 1, 1)
            when 'financial_year' then make_date(first_year, 4, 1)
            when 'quarter'
                then cast(make_date(first_year, 4, 1) + to_months(3 * (last_two_digits % 10 - 1)) as date)
            when 'calendar_year_range' then make_date(first_year, 1, 1)
            when 'financial_year_range' then make_date(first_year, 4, 1)
        end as period_start,
        case period_form
            when 'calendar_year' then make_date(first_year, 12, 31)
            when 'financial_year' then make_date(first_year + 1, 3, 31)
            when 'quarter'
                then cast(
                    make_date(first_year, 4, 1) + to_months(3 * (last_two_digits % 10)) - to_days(1) as date
                )
            when 'calendar_year_range' then make_date(last_year, 12, 31)
            when 'financial_year_range' then make_date(last_year, 3, 31)
        end as period_end
    from range_ends
),

renamed as (
    select
        dated.submission_id || ':' || dated.source_row as fingertips_row_key,
        dated.indicator_id,
        'fingertips_' || dated.indicator_id as measure_id,
        trim(regexp_replace(dated.indicator_name, '\s+', ' ', 'g')) as indicator_name,
        dated.parent_code,
        dated.parent_name,
        dated.area_code,
        dated.area_name,
        dated.area_type,
        dated.sex,
        dated.age,
        dated.category_type,
        dated.category,
        dated.time_period,
        dated.period_text as period_id,
        case
            when dated.period_form in ('calendar_year', 'financial_year', 'quarter') then dated.period_form
            else 'snapshot'
        end as period_type,
        dated.period_start,
        dated.period_end,
        dated.time_period_sortable,
        dated.time_period_range,
        dated.value,
        dated.lower_ci_95,
        dated.upper_ci_95,
        dated.lower_ci_99_8,
        dated.upper_ci_99_8,
        dated.count as numerator,
        dated.denominator,
        dated.is_suppressed,
        dated.value_note,
        dated.recent_trend,
        dated.compared_to_england,
        dated.compared_to_parent,
        dated.parent_comparison_column,
        dated.new_data,
        dated.compared_to_goal,
        dated.submission_id,
        dated.source_file,
        dated.source_sha256,
        dated.source_row,
        dated.source_line,
        dated.loaded_at
    from dated
)

select * from renamed
