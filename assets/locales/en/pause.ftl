## Why a desk is paused: one word for each, on the desk, the board and in reports.

pause-reason-break = break
pause-reason-paperwork = paperwork
pause-reason-phone = a citizen on the phone
pause-reason-technical = technical trouble
