{#- Confidence intervals with a closed form, in SQL, so that measure_values stays in DuckDB:
    the same formulas as pipelines/statistics.py (Wilson score for proportions, Byar's for
    counts of 10 or more), which follows PHEindicatormethods. Exact Poisson limits for small
    counts need chi-square quantiles and stay the Python functions registered on dbt's
    connection (pipelines/warehouse_functions.py). An impossible input stops the build, as
    the Python functions do, rather than printing an interval for it. -#}

{#- The two-sided standard normal critical value for a confidence level: scipy's
    norm.ppf(level + (1 - level) / 2), as pipelines.statistics._z; tests/dbt compares. -#}
{% macro normal_critical_value(confidence) -%}
    {%- set values = {0.95: "1.959963984540054", 0.998: "3.090232306167813"} -%}
    {%- if confidence not in values -%}
        {{ exceptions.raise_compiler_error("no critical value for confidence " ~ confidence) }}
    {%- endif -%}
    {{ values[confidence] }}
{%- endmacro %}

{#- Wilson score limit ('lower' or 'upper') of numerator / denominator, times multiplier. -#}
{% macro wilson_limit(side, numerator, denominator, confidence, multiplier) -%}
    {%- set z = normal_critical_value(confidence) -%}
    case
        when {{ numerator }} is null or {{ denominator }} is null or {{ denominator }} = 0
            then null
        when {{ numerator }} < 0 or {{ denominator }} < 0 or {{ numerator }} > {{ denominator }}
            then error(
                'Wilson interval of ' || {{ numerator }} || ' out of ' || {{ denominator }}
                || ': the numerator must be between zero and the denominator'
            )
        else (
            2 * {{ numerator }} + {{ z }} ** 2
            {{ '-' if side == 'lower' else '+' }} {{ z }} * sqrt(
                {{ z }} ** 2 + 4 * {{ numerator }} * (1 - {{ numerator }} / {{ denominator }})
            )
        ) * ({{ multiplier }} / (2 * ({{ denominator }} + {{ z }} ** 2)))
    end
{%- endmacro %}

{#- Byar's approximation to a Poisson count's limit ('lower' or 'upper'); the lower limit of
    a count of zero is zero. -#}
{% macro byars_limit(side, count, confidence) -%}
    {%- set z = normal_critical_value(confidence) -%}
    {%- set above = count if side == 'lower' else '(' ~ count ~ ' + 1)' -%}
    case
        when {{ count }} is null then null
        when {{ count }} < 0
            then error('Byar''s interval of a count of ' || {{ count }} || ': below zero')
        when {{ side == 'lower' }} and {{ count }} = 0 then 0.0
        else {{ above }}
            * (1 - 1 / (9 * {{ above }}) {{ '-' if side == 'lower' else '+' }} {{ z }} / (3 * sqrt({{ above }}))) ** 3
    end
{%- endmacro %}
