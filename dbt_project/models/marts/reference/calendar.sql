{#- Every period the council reports by, from April 2017 to the end of the financial year
    the as-of date falls in (March 2026 for a date in 2025/26; the project vars
    calendar_first_month and calendar_last_month move the range): months, quarters and
    financial years (April to March), calendar years and academic years (September to
    August). A period is in the calendar when it ends inside the range, so calendar year 2017
    (ending December 2017) is in and financial year 2016/17 (ending March 2017) is not. -#}
{%- set first_month = var('calendar_first_month', '2017-04') -%}
{%- set last_month = var('calendar_last_month', none) -%}
{%- if last_month -%}
    {%- set last_month_start = "strptime('" ~ last_month ~ "', '%Y-%m')::date" -%}
{%- else -%}
    {%- set last_month_start = "make_date(year(" ~ as_of_date() ~ ") + (month(" ~ as_of_date() ~ ") >= 4)::integer, 3, 1)" -%}
{%- endif -%}
with

range_bounds as (
    select
        strptime('{{ first_month }}', '%Y-%m')::date as range_start,
        last_day({{ last_month_start }}) as range_end
),

month_starts as (
    select
        unnest(
            generate_series(
                strptime('{{ first_month }}', '%Y-%m'),
                {{ last_month_start }}::timestamp,
                interval 1 month
            )
        )::date as period_start
),

start_years as (
    select
        unnest(
            range(
                year(strptime('{{ first_month }}', '%Y-%m')) - 1,
                year({{ last_month_start }}) + 1
            )
        )::integer as start_year
),

months as (
    select
        strftime(period_start, '%Y-%m') as period_id,
        'month' as period_type,
        strftime(period_start, '%B %Y') as period_name,
        period_start,
        last_day(period_start) as period_end,
        {{ financial_year('period_start') }} as financial_year,
        (month(period_start) + 8) % 12 // 3 + 1 as financial_quarter,
        year(period_start) as calendar_year,
        month(period_start) as month_number
    from month_starts
),

quarters as (
    select
        financial_year || ' Q' || financial_quarter as period_id,
        'quarter' as period_type,
        strftime(min(period_start), '%B') || ' to ' || strftime(max(period_start), '%B %Y') as period_name,
        min(period_start) as period_start,
        max(period_end) as period_end,
        financial_year,
        financial_quarter,
        min(calendar_year) as calendar_year,
        null::integer as month_number
    from months
    group by financial_year, financial_quarter
),

candidate_years as (
    select
        start_year || '/' || lpad(((start_year + 1) % 100)::varchar, 2, '0') as period_id,
        'financial_year' as period_type,
        'April ' || start_year || ' to March ' || (start_year + 1) as period_name,
        make_date(start_year, 4, 1) as period_start,
        make_date(start_year + 1, 3, 31) as period_end,
        start_year || '/' || lpad(((start_year + 1) % 100)::varchar, 2, '0') as financial_year,
        null::integer as financial_quarter,
        null::integer as calendar_year,
        null::integer as month_number
    from start_years
    union all
    select
        start_year::varchar as period_id,
        'calendar_year' as period_type,
        'January to December ' || start_year as period_name,
        make_date(start_year, 1, 1) as period_start,
        make_date(start_year, 12, 31) as period_end,
        null::varchar as financial_year,
        null::integer as financial_quarter,
        start_year as calendar_year,
        null::integer as month_number
    from start_years
    union all
    select
        start_year || '/' || lpad(((start_year + 1) % 100)::varchar, 2, '0') as period_id,
        'academic_year' as period_type,
        'September ' || start_year || ' to August ' || (start_year + 1) as period_name,
        make_date(start_year, 9, 1) as period_start,
        make_date(start_year + 1, 8, 31) as period_end,
        null::varchar as financial_year,
        null::integer as financial_quarter,
        null::integer as calendar_year,
        null::integer as month_number
    from start_years
),

years_in_range as (
    select candidate_years.*
    from candidate_years
    cross join range_bounds
    where candidate_years.period_end between range_bounds.range_start and range_bounds.range_end
),

unioned as (
    select * from months
    union all by name
    select * from quarters
    union all by name
    select * from years_in_range
),

calendar as (
    select
        period_type || '|' || period_id as calendar_key,
        period_id,
        period_type,
        period_name,
        period_start,
        period_end,
        datediff('day', period_start, period_end) + 1 as days_in_period,
        financial_year,
        financial_quarter,
        calendar_year,
        month_number
    from unioned
)

select * from calendar
