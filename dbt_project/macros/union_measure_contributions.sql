{#- measure_values is the union of every source's contribution, listed in the project var
    `measure_contributions`, each already in the long measure shape. -#}
{% macro union_measure_contributions() -%}
    {%- for model_name in var('measure_contributions') -%}
        select * from {{ ref(model_name) }}
        {% if not loop.last %}union all by name{% endif %}
    {% endfor -%}
{%- endmacro %}
