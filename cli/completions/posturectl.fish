# fish completion for posturectl
set -l commands status break snooze skip done pause resume reload stretches stats config

function __posturectl_stretch_ids
    posturectl --json stretches list 2>/dev/null | string match -r -a -g '"id":"([^"]*)"'
end

complete -c posturectl -f
complete -c posturectl -l json -d 'Print the answer as JSON'
complete -c posturectl -n __fish_use_subcommand -l version -d 'Show the version'
complete -c posturectl -n "not __fish_seen_subcommand_from $commands" -a status -d 'Where the hour stands'
complete -c posturectl -n "not __fish_seen_subcommand_from $commands" -a break -d 'Take a break now'
complete -c posturectl -n "not __fish_seen_subcommand_from $commands" -a snooze -d 'Put the current or next break off'
complete -c posturectl -n "not __fish_seen_subcommand_from $commands" -a skip -d 'Skip the break that is waiting'
complete -c posturectl -n "not __fish_seen_subcommand_from $commands" -a done -d 'Mark the break that is waiting as done'
complete -c posturectl -n "not __fish_seen_subcommand_from $commands" -a pause -d 'No breaks for a while'
complete -c posturectl -n "not __fish_seen_subcommand_from $commands" -a resume -d 'End a pause'
complete -c posturectl -n "not __fish_seen_subcommand_from $commands" -a reload -d 'Read the configuration again'
complete -c posturectl -n "not __fish_seen_subcommand_from $commands" -a stretches -d 'List the stretches, or show one'
complete -c posturectl -n "not __fish_seen_subcommand_from $commands" -a stats -d 'How many breaks were taken, skipped and missed'
complete -c posturectl -n "not __fish_seen_subcommand_from $commands" -a config -d 'Check a config file'
complete -c posturectl -n "__fish_seen_subcommand_from stats" -l week -d 'The last 7 days'
complete -c posturectl -n "__fish_seen_subcommand_from stats" -l month -d 'The last 30 days'
complete -c posturectl -n "__fish_seen_subcommand_from stats" -l days -x -d 'The last N days'
complete -c posturectl -n "__fish_seen_subcommand_from status" -s f -l follow -d 'Print a line at every change'
complete -c posturectl -n "__fish_seen_subcommand_from break" -l stretch -x -a "(__posturectl_stretch_ids)" -d 'The stretch to do'
complete -c posturectl -n "__fish_seen_subcommand_from pause" -l until -x -d 'Until a time of day (HH:MM)'
complete -c posturectl -n "__fish_seen_subcommand_from pause" -l toggle -d 'Resume if paused, else pause'
complete -c posturectl -n "__fish_seen_subcommand_from stretches; and not __fish_seen_subcommand_from list show" -a 'list show'
complete -c posturectl -n "__fish_seen_subcommand_from show" -a "(__posturectl_stretch_ids)"
complete -c posturectl -n "__fish_seen_subcommand_from config; and not __fish_seen_subcommand_from check" -a check
complete -c posturectl -n "__fish_seen_subcommand_from check" -F
