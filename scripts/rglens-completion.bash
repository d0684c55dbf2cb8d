# Bash completion for rglens, through System.CommandLine's [suggest] directive (no extra tool).
# Use: source scripts/rglens-completion.bash   (or copy it to /etc/bash_completion.d/rglens)
_rglens_complete() {
    local line="${COMP_LINE#*rglens}"
    line="${line# }"
    local point=$(( COMP_POINT - (${#COMP_LINE} - ${#line}) ))
    local IFS=$'\n'
    COMPREPLY=( $(rglens "[suggest:${point}]" "${line}" 2>/dev/null) )
}
complete -o default -F _rglens_complete rglens
