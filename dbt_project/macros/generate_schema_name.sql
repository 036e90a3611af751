{#- Schemas are named for their layer (staging, intermediate, marts, reference), not
    prefixed with the target's schema, so officers query marts.measure_values. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
