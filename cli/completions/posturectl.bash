# bash completion for posturectl

_posturectl_stretch_ids() {
    posturectl --json stretches list 2>/dev/null | grep -o '"id":"[^"]*"' | cut -d'"' -f4
}

_posturectl() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local command="" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            -*) ;;
            *) command=${COMP_WORDS[i]}; break ;;
        esac
    done
    local words
    case $command in
        "") words="status break snooze skip done pause resume reload stretches stats config --json --help --version" ;;
        stats) words="--week --month --days --json" ;;
        status) words="--follow --json" ;;
        break) [[ $prev == --stretch ]] && words=$(_posturectl_stretch_ids) || words="--stretch --json" ;;
        pause) [[ $prev == --until ]] && words="" || words="--until --toggle --json" ;;
        stretches) [[ $prev == show ]] && words=$(_posturectl_stretch_ids) || words="list show --json" ;;
        config)
            if [[ $prev == check ]]; then
                mapfile -t COMPREPLY < <(compgen -f -- "$cur")
                return
            fi
            words="check"
            ;;
        *) words="--json" ;;
    esac
    mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
}
complete -F _posturectl posturectl
