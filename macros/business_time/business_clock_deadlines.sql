{#-
    business_clock_deadlines(relation, key_column, schedule_id_column, start_column, target_columns,
                             passthrough_columns=[])

    A select statement with one row per row of `relation`: `key_column`, the
    `passthrough_columns`, and for each target the UTC instant at which the
    business time since `start_column` reaches the target: the earliest t with
    reading(t) - reading(start) = target (SLA breach instants).

    target_columns  mapping {output_column: column holding the target in business seconds},
                    e.g. {'first_response_due_at': 'first_response_target_seconds'}

    A target of 0 gives the start instant itself.

    past_target=true instead gives the first instant from which the business
    time since start EXCEEDS the target (SLA breach instants): the same
    instant while the clock runs, but a deadline falling exactly at a closing
    time moves to the next opening (and a target of 0 on a closed start to the
    next opening). The deadline is null when
    the start or the target is null, the target is negative, the schedule is
    unknown, the start lies outside the clock's coverage, or the deadline
    falls at or after the clock's coverage end (raise var
    business_clock_horizon_days when SLA targets span more than a year of
    business time after the as-of date).

    DuckDB finds the interval with an as-of join on the clock's running total;
    the default implementation is a range join on it.
-#}
{% macro business_clock_deadlines(
    relation, key_column, schedule_id_column, start_column, target_columns, passthrough_columns=[],
    past_target=false
) -%}
    {{ return(adapter.dispatch('business_clock_deadlines', 'support_kpis')(
        relation, key_column, schedule_id_column, start_column, target_columns, passthrough_columns, past_target
    )) }}
{%- endmacro %}


{#- The rows with their start reading and, per target, the reading to reach;
    shared by every implementation. -#}
{% macro business_clock_deadline_targets(
    relation, key_column, schedule_id_column, start_column, target_columns, passthrough_columns
) -%}
    {%- set carried = [] -%}
    {%- for column in [schedule_id_column, start_column] + (target_columns.values() | list) + passthrough_columns -%}
        {%- if column not in carried and column != key_column -%}{%- do carried.append(column) -%}{%- endif -%}
    {%- endfor -%}
    select
        deadline_readings.*,
        {%- for output_column, target_column in target_columns.items() %}
        case
            when deadline_readings.{{ target_column }} >= 0
                then deadline_readings.deadline_start_clock_seconds + deadline_readings.{{ target_column }}
        end as deadline_target_clock_seconds_{{ loop.index }}{{ "," if not loop.last }}
        {%- endfor %}
    from (
        {{ business_clock_readings(
            relation, key_column, schedule_id_column,
            {'deadline_start_clock_seconds': start_column},
            carried
        ) }}
    ) as deadline_readings
{%- endmacro %}


{#- The deadline column of one target, given the clock interval found for it. -#}
{% macro business_clock_deadline_expression(start_column, target_column, target_index, past_target=false) -%}
    {%- set clock = 'deadline_clock_' ~ target_index -%}
    {%- set reach = 'deadline_targets.deadline_target_clock_seconds_' ~ target_index -%}
    case
        when {{ reach }} is null then null
        {%- if not past_target %}
        when deadline_targets.{{ target_column }} = 0 then deadline_targets.{{ start_column }}
        {%- endif %}
        when {{ clock }}.schedule_id is null
            or {{ reach }} {{ '>=' if past_target else '>' }} {{ clock }}.business_seconds_after then null
        when {{ add_seconds(clock ~ '.interval_start_at', reach ~ ' - ' ~ clock ~ '.business_seconds_before') }}
            >= deadline_schedule.covered_to_at then null
        else {{ add_seconds(clock ~ '.interval_start_at', reach ~ ' - ' ~ clock ~ '.business_seconds_before') }}
    end
{%- endmacro %}


{#- The deadline query; engines differ only in how a target finds its clock
    interval: DuckDB's as-of join (the latest interval whose running total
    starts below the target) or a portable range join on the running total. -#}
{% macro business_clock_deadlines_query(
    relation, key_column, schedule_id_column, start_column, target_columns, passthrough_columns, past_target,
    use_asof_join
) -%}
    select
        deadline_targets.{{ key_column }},
        {%- for column in passthrough_columns %}
        deadline_targets.{{ column }},
        {%- endfor %}
        {%- for output_column, target_column in target_columns.items() %}
        {{ business_clock_deadline_expression(start_column, target_column, loop.index, past_target) }}
            as {{ output_column }}{{ "," if not loop.last }}
        {%- endfor %}
    from (
        {{ business_clock_deadline_targets(
            relation, key_column, schedule_id_column, start_column, target_columns, passthrough_columns
        ) }}
    ) as deadline_targets
    left join {{ ref('int_business_clock_schedules') }} as deadline_schedule
        on deadline_targets.{{ schedule_id_column }} = deadline_schedule.schedule_id
    {%- for output_column, target_column in target_columns.items() %}
    {{ 'asof left join' if use_asof_join else 'left join' }} {{ ref('int_business_clock_intervals') }}
        as deadline_clock_{{ loop.index }}
        on deadline_targets.{{ schedule_id_column }} = deadline_clock_{{ loop.index }}.schedule_id
        and deadline_targets.deadline_target_clock_seconds_{{ loop.index }}
            {{ '>=' if past_target else '>' }} deadline_clock_{{ loop.index }}.business_seconds_before
        {%- if not use_asof_join %}
        and deadline_targets.deadline_target_clock_seconds_{{ loop.index }}
            {{ '<' if past_target else '<=' }} deadline_clock_{{ loop.index }}.business_seconds_after
        {%- endif %}
    {%- endfor %}
{%- endmacro %}


{% macro duckdb__business_clock_deadlines(
    relation, key_column, schedule_id_column, start_column, target_columns, passthrough_columns, past_target=false
) -%}
    {{ business_clock_deadlines_query(
        relation, key_column, schedule_id_column, start_column, target_columns, passthrough_columns, past_target,
        use_asof_join=true
    ) }}
{%- endmacro %}


{% macro default__business_clock_deadlines(
    relation, key_column, schedule_id_column, start_column, target_columns, passthrough_columns, past_target=false
) -%}
    {{ business_clock_deadlines_query(
        relation, key_column, schedule_id_column, start_column, target_columns, passthrough_columns, past_target,
        use_asof_join=false
    ) }}
{%- endmacro %}
