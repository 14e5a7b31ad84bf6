{#- Targets per KPI: the user's kpi_targets file when it has rows, else the
    shipped example targets (seed kpi_targets). -#}
with

staged_targets as (

    select * from {{ ref('stg_kpi_targets') }}

),

seeded_targets as (

    select * from {{ ref('kpi_targets') }}

),

user_presence as (

    select count(*) as user_row_count from staged_targets

),

final as (

    select
        kpi_id,
        target,
        'user' as config_source
    from staged_targets

    union all

    select
        cast(seeded_targets.kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(seeded_targets.target as {{ type_double() }}) as target,
        'seed' as config_source
    from seeded_targets
    cross join user_presence
    where user_presence.user_row_count = 0

)

select * from final
