{#- The council's financial year, April to March, written as in its reports: 2021/22. -#}
{% macro financial_year(date_expression) -%}
    (
        (year({{ date_expression }}) - case when month({{ date_expression }}) < 4 then 1 else 0 end)::varchar
        || '/'
        || lpad(
            ((year({{ date_expression }}) - case when month({{ date_expression }}) < 4 then 1 else 0 end + 1) % 100)::varchar,
            2,
            '0'
        )
    )
{%- endmacro %}

{#- First day of the financial year that contains the date. -#}
{% macro financial_year_start(date_expression) -%}
    make_date(
        year({{ date_expression }}) - case when month({{ date_expression }}) < 4 then 1 else 0 end,
        4,
        1
    )
{%- endmacro %}

{#- The date the returns calendar is judged at, as a SQL date: the dbt var as_of_date
    (YYYY-MM-DD), which a run sets from WELLBEING_AS_OF or raw/AS_OF
    (pipelines.settings.as_of), else today. -#}
{% macro as_of_date() -%}
    {%- if var('as_of_date', none) -%}date '{{ var('as_of_date') }}'{%- else -%}current_date{%- endif -%}
{%- endmacro %}
