# Claim MS, figure 1: test FVU (MSE / Var y) vs online-SGD steps / d, seed 0 of every d.
# Left: the staircase x1 + x1x2 + x1x2x3 + x1x2x3x4 (curves collapse in steps/d);
# right: x1x2x3 (leap 3; curves move right with d). Reads resdir/staircase_curves.csv.
if (!exists("resdir")) resdir = "."
if (!exists("figdir")) figdir = "."
# figure-<name> does not create figdir before the scripts run (plot-<name> does)
system("mkdir -p '".figdir."'")
set datafile separator comma
f = resdir."/staircase_curves.csv"
stats f using 2 skip 1 nooutput
dmin = STATS_min; dmax = STATS_max
nd = int(log(dmax/dmin)/log(2) + 0.5)
set logscale y
set yrange [0.01:3]
set xlabel "SGD steps / d"
set ylabel "test MSE / Var(y)"
set grid
set key top right
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 1200,500 font ",11"; set output figdir."/staircase_curves.png" }
  if (fmt eq "svg") { set terminal svg size 1200,500 font ",11"; set output figdir."/staircase_curves.svg" }
  set multiplot layout 1,2
  set title "staircase x1 + x1x2 + x1x2x3 + x1x2x3x4 (MSP)"
  set xrange [0:300]
  set key top right
  plot for [k=0:nd] f skip 1 using 5:(($1==0 && $2==dmin*2**k && $3==0) ? $6 : 1/0) \
       with lines lw 2 lc k+1 title sprintf("d = %d", dmin*2**k), \
       0.1 with lines dt 2 lc rgb "black" title "hitting threshold 0.1"
  set title "x1x2x3 (leap 3)"
  set xrange [0:*]
  set key bottom left
  plot for [k=0:nd] f skip 1 using 5:(($1==1 && $2==dmin*2**k && $3==0) ? $6 : 1/0) \
       with lines lw 2 lc k+1 title sprintf("d = %d", dmin*2**k), \
       0.1 with lines dt 2 lc rgb "black" title "hitting threshold 0.1"
  unset multiplot
  unset output
}
