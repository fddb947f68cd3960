# Claim MS, figure 3: saddle to saddle. Mean over hidden units of |W0[j,i]| for the
# coordinates i = 1..4 of the staircase and for the bulk (mean over i > 4), vs steps / d,
# at the largest d of the sweep, seed 0. Reads resdir/staircase_weights.csv.
if (!exists("resdir")) resdir = "."
if (!exists("figdir")) figdir = "."
# figure-<name> does not create figdir before the scripts run (plot-<name> does)
system("mkdir -p '".figdir."'")
set datafile separator comma
f = resdir."/staircase_weights.csv"
stats f skip 1 using 1 nooutput
dsel = STATS_max
set logscale y
set xlabel "SGD steps / d"
set ylabel "mean_j |W_0[j,i]|"
set grid
set key bottom right
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 800,600 font ",11"; set output figdir."/staircase_weights.png" }
  if (fmt eq "svg") { set terminal svg size 800,600 font ",11"; set output figdir."/staircase_weights.svg" }
  set title sprintf("Staircase, d = %d: coordinates are picked up one after another", dsel)
  plot for [i=1:4] f skip 1 using 4:(($1==dsel && $2==0) ? column(4+i) : 1/0) with lines lw 2 lc i \
         title sprintf("coordinate x%d", i), \
       f skip 1 using 4:(($1==dsel && $2==0) ? $9 : 1/0) with lines lw 2 dt 2 lc rgb "black" \
         title "bulk (mean over i > 4)"
  unset output
}
