{#- A code of the council's home area as a SQL string literal, from the `home_area` var in
    dbt_project.yml: home_area('district'), home_area('county'), home_area('police_force_area'),
    home_area('country'). home_area('comparison_areas') gives the comparison areas as a list
    literal. -#}
{% macro home_area(part) -%}
    {%- set value = var('home_area')[part] -%}
    {%- if value is string -%}
        '{{ value }}'
    {%- else -%}
        [{% for code in value %}'{{ code }}'{% if not loop.last %}, {% endif %}{% endfor %}]
    {%- endif -%}
{%- endmacro %}
