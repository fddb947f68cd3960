# Claim SC1, figure: distance between the true-gradient GD run (random member of
# {cos(2 pi a x/p)}) and the class-mean-gradient run from the same initialisation, vs the step t,
# for several p (log y): parameter distance e_t (solid) and the step-by-step bound B_t (dotted);
# right: prediction distance (E_x (f_true - f_mean)^2)^(1/2) and the exact class variance Var_t.
# Reads resdir/steps_curves.csv (p,t,e,dpred,bound,bound_var,dgrad,var,ell) and resdir/steps_ps.gp.
if (!exists("resdir")) resdir = "."
if (!exists("figdir")) figdir = "."
system("mkdir -p '".figdir."'")
set datafile separator comma
load resdir."/steps_ps.gp"
f = resdir."/steps_curves.csv"
set grid
set logscale y
set format y "10^{%L}"
set xlabel "GD step t"
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 1300,600 font ",10"; set output figdir."/steps_distance.png" }
  if (fmt eq "svg") { set terminal svg size 1300,600 font ",10"; set output figdir."/steps_distance.svg" }
  set multiplot layout 1,2 title "SC1: true gradient vs class-mean gradient (same init, exact population GD)"
  set key bottom right font ",8"
  set ylabel "||θ_t^{true} - θ_t^{mean}||"
  set title "parameter distance (solid) and step-by-step bound B_t (dotted)"
  plot for [i=1:words(ps)] f skip 1 using 2:(($1 == word(ps, i) + 0 && $2 > 0) ? $3 : 1/0) with lines lw 2 lc i \
         title "p = ".word(ps, i), \
       for [i=1:words(ps)] f skip 1 using 2:(($1 == word(ps, i) + 0 && $2 > 0) ? $5 : 1/0) with lines lw 1 dt 3 lc i notitle
  set ylabel "distance / variance"
  set title "prediction distance (solid) and Var_t = E_a||Δ∇||^2 (dashed)"
  plot for [i=1:words(ps)] f skip 1 using 2:(($1 == word(ps, i) + 0 && $2 > 0) ? $4 : 1/0) with lines lw 2 lc i \
         title "p = ".word(ps, i), \
       for [i=1:words(ps)] f skip 1 using 2:(($1 == word(ps, i) + 0 && $8 == $8) ? $8 : 1/0) with lines lw 1 dt 2 lc i notitle
  unset multiplot
  unset output
}
