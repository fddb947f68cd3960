# Claim SH1, figure: orbit gradient variance Var/E||g||^2 of {cos(2 pi gamma <w,x>)} for the
# d = 16 FCN at initialisation vs gamma (log y): exact quadrature (median, min-max over 3
# inits), importance-sampled directions (error bars), uniformly sampled directions (dashed:
# the artefact that misses the caps around the neurons' directions) and the Schur bound
# B(gamma, 16). Inset: log-log tail with the gamma^-(d-1) = gamma^-15 slope.
# Reads resdir/sgd_hardness_variance.csv.
if (!exists("resdir")) resdir = "."
if (!exists("figdir")) figdir = "."
system("mkdir -p '".figdir."'")  # figure-<family> does not create it
reset
set datafile separator comma
f = resdir."/sgd_hardness_variance.csv"
stats f skip 1 using 1 nooutput
gmax = STATS_max
stats f skip 1 using (($1 == gmax) ? $2 : 1/0) nooutput
bref = STATS_max
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 1000,620 font ",11"; set output figdir."/sgd_hardness_variance.png" }
  if (fmt eq "svg") { set terminal svg size 1000,620 font ",11"; set output figdir."/sgd_hardness_variance.svg" }
  set multiplot
  set origin 0,0; set size 1,1
  set logscale y
  unset logscale x
  set format y "10^{%L}"
  set xrange [0:gmax*1.02]
  set yrange [1e-40:1]
  set xlabel "frequency gamma"
  set ylabel "Var / E||grad f||^2"
  set grid
  set key bottom left font ",9"
  set title "SH1: orbit gradient variance of cos(2 pi gamma <w,x>), d = 16, FCN at init"
  plot f skip 1 using 1:3:4:5 with yerrorlines lw 2 pt 7 lc 1 title "exact quadrature (median, min-max of 3 inits)", \
       f skip 1 using 1:(($6 > 0) ? $6 : 1/0):7 with yerrorbars pt 6 ps 1.2 lc 2 title "importance-sampled directions (+- SE)", \
       f skip 1 using 1:10 with lines dt 2 lw 2 lc 3 title "uniform directions (artefact)", \
       f skip 1 using 1:2 with lines lw 2 lc rgb "black" title "Schur bound B(gamma, 16)"
  set origin 0.56,0.50; set size 0.42,0.42
  set logscale xy
  set xrange [0.5:gmax*1.1]
  set yrange [*:*]
  set format x "%g"
  unset xlabel; unset ylabel; unset title
  set key top right font ",8"
  set object 1 rectangle from graph 0,0 to graph 1,1 behind fillcolor rgb "white" fillstyle solid 1.0 noborder
  plot f skip 1 using 1:3 with linespoints pt 7 ps 0.6 lc 1 notitle, \
       f skip 1 using 1:2 with lines lw 2 lc rgb "black" notitle, \
       bref*(x/gmax)**(-15) with lines dt 2 lc rgb "gray40" title "gamma^{-15}"
  unset multiplot
  unset object 1
  unset output
}
